"""What the jobs write: output folders that appear complete or not at all, each with a manifest.

- :mod:`~sdmodel.outputs.folder`: ``check_out_dir`` and ``write_outputs`` (atomic folders;
  ``--force`` only replaces a folder this project wrote);
- :mod:`~sdmodel.outputs.manifest`: the run manifest (command, model and data hashes,
  parameters, seed, versions);
- :mod:`~sdmodel.outputs.writers`: the writer type and the one CSV writer.
"""
