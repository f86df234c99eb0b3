"""One module per ``kg`` sub-command: ``configure(parser)`` and ``run(args) -> int``."""
