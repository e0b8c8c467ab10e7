"""What the jobs write: output folders that appear complete or not at all, each with a manifest.

- :mod:`~sdmodel.outputs.folder`: ``check_out_dir`` and ``write_outputs`` (atomic folders;
  ``--force`` only replaces an untouched output of the same command);
- :mod:`~sdmodel.outputs.swap`: temporary siblings, fsync, the kill-safe swap, the clean-up of
  killed runs' temporary folders;
- :mod:`~sdmodel.outputs.signals`: SIGTERM and SIGHUP stop a command as Ctrl-C does (exit 130);
- :mod:`~sdmodel.outputs.manifest`: the run manifest (command, model and data hashes,
  parameters, seed, versions);
- :mod:`~sdmodel.outputs.writers`: the writer type and the one CSV writer.
"""
