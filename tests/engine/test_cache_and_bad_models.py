"""Bad .mdl files get one line and a fix; corrupt cache files are detected by their seal,
rebuilt and reported once; cache writes are atomic with unique names (issue 15, case 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdmodel.engine.model import ChainModel
from sdmodel.engine.translate import (
    SEAL,
    cache_file_state,
    translated_copy,
    write_cache_file,
)
from sdmodel.errors import ModelFileError

MODELS = Path(__file__).resolve().parents[1] / "models"
SMALL = MODELS / "optimize_capacity.mdl"
FIX = "save the model from Vensim as a text .mdl file"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ASIELKETEN_CACHE", str(folder))
    return folder


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "variant.mdl"
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("content", "message"), [
    (b"", f"the file is empty; {FIX}"),
    (b"  \n\n", f"the file is empty; {FIX}"),
    (bytes(range(256)) * 8, f"not a text Vensim model (byte 128 is not UTF-8); {FIX}"),
    (b"just some notes\n", "no Vensim equation found"),
])
def test_unreadable_model_files_get_one_line_and_a_fix(cache: Path, tmp_path: Path,
                                                       content: bytes, message: str) -> None:
    path = tmp_path / "bad.mdl"
    path.write_bytes(content)
    with pytest.raises(ModelFileError) as info:
        ChainModel.from_mdl(path)
    assert str(info.value) == f"{path}: {message}" or str(info.value).startswith(
        f"{path}: {message}")
    assert "\n" not in str(info.value)
    assert not cache.exists() or not any(cache.rglob("bad.mdl"))


def test_an_undefined_name_is_named_with_its_line(cache: Path, tmp_path: Path) -> None:
    path = _variant(tmp_path, "6 + 6 * (1 - housing priority share)",
                    "6 + 6 * (1 - housing priority shar)")
    with pytest.raises(ModelFileError, match=r"variant.mdl, line 27: 'housing priority shar' is "
                       "used in an equation but not defined; define it or correct the name"):
        ChainModel.from_mdl(path)


def test_a_default_outside_its_own_range_is_refused(cache: Path, tmp_path: Path) -> None:
    path = _variant(tmp_path, "housing priority share=\n\t1\n", "housing priority share=\n\t3\n")
    with pytest.raises(ModelFileError, match=r"variant.mdl, line 14: 'housing priority share' = 3"
                       r" lies outside its own range \[0, 1\]; correct the value or the range"):
        ChainModel.from_mdl(path)


def test_a_corrupt_translation_is_rebuilt_and_reported_once(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ChainModel.from_mdl(SMALL)
    py_file = translated_copy(SMALL).with_suffix(".py")
    assert cache_file_state(py_file) == "intact"
    py_file.write_text(py_file.read_text(encoding="utf-8") + "\nthis is not python ((\n")
    assert cache_file_state(py_file) == "corrupt"
    capsys.readouterr()
    model = ChainModel.from_mdl(SMALL)
    assert "COA occupancy" in model.names()
    assert capsys.readouterr().err.count("was corrupt; rebuilt it") == 1
    ChainModel.from_mdl(SMALL)
    assert "rebuilt" not in capsys.readouterr().err


def test_a_corrupt_batch_module_is_rebuilt_and_reported_once(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sdmodel.engine.batch import BatchModel

    BatchModel.from_mdl(SMALL)
    module = next((cache / "batch").glob("*.py"))
    module.write_bytes(module.read_bytes()[: len(module.read_bytes()) // 2])  # truncated
    capsys.readouterr()
    batch = BatchModel.from_mdl(SMALL)
    assert "COA occupancy" in batch.variables
    assert capsys.readouterr().err.count("was corrupt; rebuilt it") == 1
    assert cache_file_state(module) == "intact"


def test_cache_writes_are_sealed_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "batch" / "m.py"
    write_cache_file(target, "X = 1\n")
    write_cache_file(target, "X = 2\n")
    assert target.read_text(encoding="utf-8").startswith(SEAL)
    assert cache_file_state(target) == "intact"
    assert sorted(p.name for p in target.parent.iterdir()) == ["m.py"]
