"""The ``kg`` command: argument parsing and dispatch.

Each sub-command lives in ``kg/commands/<name>.py`` with two functions:
``configure(parser)`` adds its options, ``run(args) -> int`` does the work. Command
modules import heavy libraries (pyshacl, owlrl, networkx, matplotlib) inside ``run``
only, so that start-up stays fast.

Exit codes: 0 success (the graph conforms), 1 the graph does not conform (or a
``-violation`` query returned rows), 2 bad input or other error, 130 interrupted
(SIGINT), 143 terminated (SIGTERM), 129 hung up (SIGHUP). Whatever goes wrong, the user
sees one line on standard error: libraries' log records and warnings are not shown, and
an unforeseen exception is reported as an internal error (``KG_DEBUG=1`` shows its
traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from kg import __version__
from kg.errors import KgError, Terminated, one_line

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

ORDER = ["build", "validate", "quality", "query", "explain", "export", "reason", "analyze", "draw", "serve",
         "push", "import", "fmt"]
"""The order ``--help`` lists sub-commands in; any other module of ``kg.cli.commands`` follows."""


def command_names() -> list[str]:
    """The sub-commands: the modules of ``kg.cli.commands`` (``import_`` is ``import``)."""
    import os

    folder = os.path.join(os.path.dirname(__file__), "commands")
    found = {name[:-3].rstrip("_") for name in os.listdir(folder)
             if name.endswith(".py") and not name.startswith("_")}
    return [n for n in ORDER if n in found] + sorted(found - set(ORDER))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(EXIT_ERROR, f"{self.prog}: error: {one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kg`` with every sub-command."""
    parser = _Parser(
        prog="kg",
        description="Knowledge graph of technology companies entering the car industry.",
        epilog="Exit codes: 0 ok/conforms, 1 does not conform, 2 error, 130 interrupted, 143 terminated.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true",
                        help="no progress on standard error (shown only when it is a terminal)")
    for name in command_names():
        module = _command_module(name)
        doc = (module.__doc__ or "").strip().splitlines()[0]
        command = sub.add_parser(name, help=doc, description=module.__doc__, parents=[common],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        module.configure(command)
        command.set_defaults(_run=module.run)
    return parser


def _command_module(name: str):
    try:
        return importlib.import_module(f"kg.cli.commands.{name}")
    except ModuleNotFoundError:
        return importlib.import_module(f"kg.cli.commands.{name}_")


_TERMINATING = ("SIGTERM", "SIGHUP")


def _terminate(signum: int, frame) -> None:
    _default_signals()  # a second one ends the process at once
    raise Terminated(signum)


def _handle_signals() -> None:
    """SIGTERM (what ``timeout`` and service managers send) and SIGHUP unwind like
    Ctrl-C, so temporary files are removed on the way out."""
    import signal

    for name in _TERMINATING:
        if signal.getsignal(getattr(signal, name)) is signal.SIG_DFL:
            signal.signal(getattr(signal, name), _terminate)


def _default_signals() -> None:
    """SIGTERM and SIGHUP end the process again (after kg's work: no traceback from a
    signal that arrives while the interpreter exits)."""
    import signal

    for name in _TERMINATING:
        if signal.getsignal(getattr(signal, name)) is _terminate:
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _quiet_libraries() -> None:
    """Libraries' log records (rdflib logs a traceback for each ill-typed literal; pySHACL
    gives itself a handler on standard error) and warnings go nowhere: the user gets
    kg's one line, not a library's traceback."""
    import logging

    logging.getLogger().addHandler(logging.NullHandler())
    logging.captureWarnings(True)
    logging.disable(logging.CRITICAL)


def _error(name: str, message: str) -> None:
    print(f"{name}: error: {one_line(message)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``kg`` with ``argv`` (default: the process arguments); return the exit code."""
    import os

    name = "kg"
    try:
        _handle_signals()
        args = build_parser().parse_args(argv)
        name = f"kg {args.command}"
        _quiet_libraries()  # after parsing: --help stays fast
        from kg import progress

        progress.configure(quiet=args.quiet)
        return args._run(args)
    except KgError as exc:
        _error(name, str(exc))
        return exc.exit_code
    except Terminated as exc:
        import signal

        print(f"{name}: terminated ({signal.Signals(exc.signum).name})", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file problem no command foresaw: still one line, exit 2
        where = f"{exc.filename}: " if exc.filename else ""
        _error(name, f"{where}{exc.strerror or exc}")
        return EXIT_ERROR
    except RecursionError:
        _error(name, "input nested too deeply to handle")
        return EXIT_ERROR
    except MemoryError:
        _error(name, "out of memory")
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line for the user
        if os.environ.get("KG_DEBUG"):
            raise
        _error(name, f"internal error ({type(exc).__name__}: {str(exc)[:200]}); KG_DEBUG=1 shows the traceback")
        return EXIT_ERROR
    finally:
        _default_signals()
