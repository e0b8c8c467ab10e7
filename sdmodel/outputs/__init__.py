"""What the jobs write: output folders that appear complete or not at all, each with a manifest.

- :mod:`~sdmodel.outputs.folder`: ``check_out_dir`` and ``write_outputs`` (atomic folders).
"""
