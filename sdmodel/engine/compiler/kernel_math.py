"""NumPy's own float64 EXP, LN and trigonometric functions, callable from the numba kernels.

NumPy does not compute ``np.exp`` and friends with the C library: on CPUs with AVX-512 its
wheels call Intel's SVML routines (``__svml_exp8_ha``, ...), which it links in and exports, and
those differ from the C library in the last bit of a few percent of the arguments. The kernel
calls the same routine as NumPy, so both backends give the same bits.

Which routine NumPy uses depends on the NumPy build and the CPU, so it is not assumed but
measured, once per process and function, when a kernel first needs it: the candidates (the SVML
routine, where NumPy exports it and the CPU runs AVX-512; then the C library, numba's own
``np.<name>``) are run on :data:`PROBES` arguments and the first one that gives NumPy's bits on
all of them is taken (:func:`routine`). A function that neither matches keeps the C library and
may differ in the last bits; :func:`origin` says so. The SVML routines take and return eight
doubles in one AVX-512 register: a scalar goes in lane 0, the other lanes hold a harmless 0.5.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable

import numpy as np
from numba import njit

FUNCTIONS = {  # NumPy name -> SVML's name of the same function
    "exp": "exp", "log": "log", "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin",
    "arccos": "acos", "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
}
PROBES = 4096
"""Arguments per function on which a candidate must give NumPy's bits."""

_jit = njit(cache=False, nogil=True, error_model="numpy")


def _probe_arguments(name: str) -> np.ndarray:
    """Fixed arguments over the function's domain, with its special values."""
    rng = np.random.default_rng(12)
    if name in ("arcsin", "arccos"):
        body = rng.uniform(-1.0, 1.0, PROBES)
    elif name == "log":
        body = 10.0 ** rng.uniform(-12.0, 12.0, PROBES)
    elif name == "exp":
        body = rng.uniform(-50.0, 50.0, PROBES)
    else:
        body = rng.uniform(-25.0, 25.0, PROBES)
    special = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, 5e-324, 700.0, -745.0, 800.0, -800.0,
               np.inf, -np.inf, np.nan]
    return np.concatenate([body, special])


@functools.cache
def _svml_available() -> tuple[bool, object]:
    """Whether NumPy exports SVML here and the CPU runs AVX-512 (the routines' register ABI)."""
    try:
        import llvmlite.binding as ll
        from numpy._core import _multiarray_umath as umath

        features = ll.get_host_cpu_features().flatten()
        if not (umath.__cpu_features__.get("AVX512_SKX") and "+avx512f" in features):
            return False, None
        return True, ctypes.CDLL(umath.__file__)
    except (ImportError, OSError, AttributeError, RuntimeError):
        return False, None


def _svml_routine(symbol: str, library: object) -> Callable[[float], float] | None:
    """A numba function calling NumPy's SVML routine ``symbol`` on lane 0, or None."""
    import llvmlite.binding as ll
    from llvmlite import ir
    from numba.core import cgutils, types
    from numba.extending import intrinsic

    try:
        address = ctypes.cast(getattr(library, symbol), ctypes.c_void_p).value
    except AttributeError:
        return None
    ll.add_symbol(symbol, address)

    @intrinsic
    def lane0(typingctx: object, x: object) -> tuple:
        def codegen(context: object, builder: object, signature: object, args: list) -> object:
            vector = ir.VectorType(ir.DoubleType(), 8)
            routine = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(vector, [vector]), symbol)
            zero = ir.Constant(ir.IntType(32), 0)
            packed = builder.insert_element(ir.Constant(vector, [0.5] * 8), args[0], zero)
            return builder.extract_element(builder.call(routine, [packed]), zero)

        return types.float64(types.float64), codegen

    @_jit
    def routine(x: float) -> float:
        return lane0(x)

    return routine


_LIBM = {  # numba's own functions: the C library
    "exp": lambda x: np.exp(x), "log": lambda x: np.log(x), "sin": lambda x: np.sin(x),
    "cos": lambda x: np.cos(x), "tan": lambda x: np.tan(x), "arcsin": lambda x: np.arcsin(x),
    "arccos": lambda x: np.arccos(x), "arctan": lambda x: np.arctan(x),
    "sinh": lambda x: np.sinh(x), "cosh": lambda x: np.cosh(x), "tanh": lambda x: np.tanh(x),
}


def _same_bits(candidate: Callable[[float], float], name: str) -> bool:
    """Whether ``candidate`` gives ``np.<name>``'s bits on the probes (any NaN for a NaN)."""
    args = _probe_arguments(name)
    with np.errstate(all="ignore"):
        want = getattr(np, name)(args)
    got = np.array([candidate(float(x)) for x in args])
    nan = np.isnan(want) & np.isnan(got)
    return bool(np.all(nan | ((want == got) & (np.signbit(want) == np.signbit(got)))))


@functools.cache
def _resolve(name: str) -> tuple[Callable[[float], float], str]:
    if name not in FUNCTIONS:
        raise KeyError(name)
    candidates = []
    svml, library = _svml_available()
    if svml:
        found = _svml_routine(f"__svml_{FUNCTIONS[name]}8_ha", library)
        if found is not None:
            candidates.append((found, "svml"))
    candidates.append((_jit(_LIBM[name]), "libm"))
    for candidate, label in candidates:
        if _same_bits(candidate, name):
            return candidate, label
    return candidates[-1][0], "libm (differs from NumPy)"


def routine(name: str) -> Callable[[float], float]:
    """The numba routine that computes NumPy's ``np.<name>`` of one float64 (bit for bit unless
    :func:`origin` says otherwise); the kernels call it as ``_m.<name>``."""
    return _resolve(name)[0]


def origin(name: str) -> str:
    """Where :func:`routine` comes from: ``"svml"`` (NumPy's own routine), ``"libm"`` (the C
    library, which NumPy uses too) or ``"libm (differs from NumPy)"``."""
    return _resolve(name)[1]


def prepare(names: list[str]) -> None:
    """Resolve the routines a kernel module calls before numba loads its cached machine code
    (which calls NumPy's SVML routines by their symbol)."""
    for name in names:
        _resolve(name)


@functools.cache
def environment() -> str:
    """What the choice of routines depends on besides the CPU (which numba's cache keys on):
    the NumPy version and whether its SVML routines can be called."""
    return f"numpy {np.__version__}, svml {'yes' if _svml_available()[0] else 'no'}"


def __getattr__(name: str) -> Callable[[float], float]:
    if name in FUNCTIONS:
        return routine(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
