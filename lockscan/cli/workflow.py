"""Commands where lockscan meets a project's workflow: config, scan gates, check, diff,
baseline. Thin click wrappers over ``settings``, ``policy``, ``baseline`` and ``diff``;
registered on the ``lockscan`` group by ``lockscan.cli``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import click

from lockscan.cache.store import load_rules_cached
from lockscan.errors import EXIT_POLICY, ConfigError, UsageError
from lockscan.gates.baseline import apply_baseline, baseline_text, read_baseline
from lockscan.gates.policy import check_policy, failures, restrict
from lockscan.model import Finding, ScanResult
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.report import DIFF_REPORTERS, REPORTERS
from lockscan.ruleset.loader import RuleSet
from lockscan.score.price import known_targets
from lockscan.settings.load import Settings, describe, load_settings

# (click parameter name, config key, option as the user types it)
OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("rule_dirs", "rules", "--rules"),
    ("select", "select", "--select"),
    ("ignore", "ignore", "--ignore"),
    ("include", "include", "--include"),
    ("exclude", "exclude", "--exclude"),
    ("jobs", "jobs", "--jobs"),
    ("target", "targets", "--target"),
    ("allowed_module", "allowed_modules", "--allowed-module"),
    ("fail_on", "fail_on", "--fail-on"),
    ("max_file_size", "max_file_size", "--max-file-size"),
    ("baseline", "baseline", "--baseline"),
    ("report_unused_ignores", "report_unused_ignores", "--report-unused-ignores"),
    ("no_bundled_rules", "bundled_rules", "--no-bundled-rules"),
)


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every scanning command shares; each overrides the config file."""
    specs = [
        click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
                     help="Extra rules folder or .toml file (repeatable)."),
        click.option("--no-bundled-rules", is_flag=True, default=None,
                     help="Use only the rules given with --rules."),
        click.option("--select", multiple=True, help="Keep only these rule ids, vendors or kinds."),
        click.option("--ignore", multiple=True, help="Drop these rule ids, vendors or kinds."),
        click.option("--include", multiple=True, help="Only scan paths matching this glob."),
        click.option("--exclude", multiple=True, help="Skip paths matching this glob."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Worker processes (default: all cores)."),
        click.option("--target", multiple=True,
                     help="Price a switch to this target only (repeatable; default: every "
                          "vendor in the rules plus litellm)."),
        click.option("--allowed-module", multiple=True,
                     help="Gateway module (dotted name or path glob) allowed to use vendor SDKs."),
        click.option("--fail-on", multiple=True,
                     help='Exit 1 when this holds: new, policy, unused-ignore, effort>N, '
                          'index:TARGET>N (repeatable; replaces the config value).'),
        click.option("--max-file-size", type=click.IntRange(min=1), default=None,
                     help="Skip files larger than this many bytes."),
        click.option("--baseline", type=click.Path(path_type=Path), default=None,
                     help="Report only findings not in this baseline file."),
        click.option("--report-unused-ignores", is_flag=True, default=None,
                     help="Report `# lockscan: ignore` comments that silence nothing."),
    ]
    for spec in reversed(specs):
        func = spec(func)
    return func


def overrides(params: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Click values as ``load_settings`` overrides, keyed by config key; ``None`` or an
    empty tuple means the option was not given."""
    out: dict[str, tuple[str, Any]] = {}
    for name, key, option in OPTIONS:
        value = params.pop(name, None)
        if name == "no_bundled_rules":
            value = False if value else None  # the flag can only turn bundled rules off
        elif name == "rule_dirs":
            value = tuple(str(v) for v in value or ())
        elif name == "baseline" and value is not None:
            value = str(value)
        out[key] = (option, value)
    return out


def settings_for(path: Path, params: dict[str, Any]) -> Settings:
    if not path.exists():
        raise UsageError(f"{path}: path does not exist; pass a directory or file to scan")
    return load_settings(path, overrides(params))


def rules_for(settings: Settings, cache_path: Path | None = None) -> RuleSet:
    """The rule set, with the configured targets checked against it (exit 2 naming where
    an unknown target was set: the config file and key, or the option). ``cache_path``:
    the facts cache, which also keeps the parsed rules files."""
    rules = load_rules_cached(settings.config.rule_dirs, settings.config.bundled_rules,
                              cache_path)
    known = known_targets(rules)
    named = {"targets": settings.config.targets,
             "fail_on": [c.target for c in settings.fail_on if c.target]}
    errors = []
    for key, targets in named.items():
        unknown = [t for t in targets if t not in known]
        if unknown:
            source = settings.sources.get(key, "")
            where = (f"{settings.config_file}: `{key}`" if settings.config_file is not None
                     and source == settings.config_file.name else source)
            errors.append(f"{where}: unknown target {', '.join(unknown)}; "
                          f"choose from {', '.join(known)}")
    if errors:
        raise ConfigError(errors)
    return rules


def gated_scan(path: Path, settings: Settings, rules: RuleSet, cache_path: Path | None = None,
               progress: Any = None) -> ScanResult:
    """Scan, drop what the baseline accepts, then check the gateway policy."""
    config = replace(excluding(settings.config, path, settings.baseline), cache_path=cache_path)
    result = scan(path, config, rules, progress)
    if settings.baseline is not None:
        result = apply_baseline(result, read_baseline(settings.baseline))
    return check_policy(result, settings.allowed_modules)


def excluding(config: ScanConfig, root: Path, file: Path | None) -> ScanConfig:
    """``config`` that skips lockscan's own baseline file when it lies under ``root``:
    its snippets quote vendor code and must not be scanned as a config file."""
    if file is None:
        return config
    base = root.resolve() if root.is_dir() else root.resolve().parent
    try:
        rel = file.resolve().relative_to(base).as_posix()
    except ValueError:
        return config
    return replace(config, exclude=(*config.exclude, rel))


def fail_if(settings: Settings, result: ScanResult, new: Sequence[Finding]) -> None:
    """Print every failed ``fail_on`` condition on stderr and exit 1 if any."""
    lines = failures(settings.fail_on, result, new)
    for line in lines:
        click.echo(f"lockscan: {line}", err=True)
    if lines:
        sys.exit(EXIT_POLICY)


def emit(text: str, output: Path | None) -> None:
    """Print, or write atomically: a temp file in the same folder, then a rename that
    replaces (never follows) whatever is at ``output``, a planted symlink included."""
    if output is None:
        click.echo(text, nl=False)
        return
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{output}: folder {folder} does not exist; create it first")
    link = symlink_out_of_cwd(folder)
    if link is not None:
        raise UsageError(f"{output}: folder {link} is a symlink out of the current folder "
                         "(planted by the scanned code?); write the report elsewhere")
    import tempfile  # ~20 ms (shutil, random): only when writing a file

    handle, temp = tempfile.mkstemp(prefix=".lockscan-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, output)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"{output}: cannot write ({exc.strerror}); check the path") from exc


def symlink_out_of_cwd(folder: Path) -> Path | None:
    """The first folder on the way from the current folder down to ``folder`` that is a
    symlink leading out of it. CI writes reports inside the checkout it scans, where a
    pull request can plant ``reports -> ~/.ssh``; a path outside the current folder is
    the user's own choice (``/tmp`` is a symlink on macOS) and is not questioned."""
    here = Path.cwd()
    try:
        relative = Path(os.path.abspath(folder)).relative_to(here)
    except ValueError:
        return None
    inside = here.resolve()
    current = here
    for part in relative.parts:
        current = current / part
        if current.is_symlink() and not current.resolve().is_relative_to(inside):
            return current
    return None


def render_scan(result: ScanResult, fmt: str, rules: RuleSet) -> str:
    buffer = io.StringIO()
    if fmt == "sarif":
        REPORTERS[fmt](result, buffer, rules)  # type: ignore[call-arg]
    else:
        REPORTERS[fmt](result, buffer)
    return buffer.getvalue()


def run_scan(path: Path, fmt: str, output: Path | None, params: dict[str, Any],
             cache_path: Path | None = None, progress: Any = None) -> None:
    """``lockscan scan``: report, then apply ``fail_on``. ``cache_path``: the facts
    cache to use; ``progress(done, total)``: told as files are analyzed."""
    settings = settings_for(path, params)
    rules = rules_for(settings, cache_path)
    result = gated_scan(path, settings, rules, cache_path, progress)
    emit(render_scan(result, fmt, rules), output)
    fail_if(settings, result, result.findings)


FORMATS = click.Choice(["text", "json", "markdown", "sarif"])


@click.command("config")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@settings_options
def config_command(path: Path, **params: Any) -> None:
    """Print the effective configuration and where each value came from.

    Example: lockscan config . --fail-on new
    """
    click.echo(describe(settings_for(path, params)), nl=False)


def cache_options(func):  # type: ignore[no-untyped-def]
    func = click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                        help="Folder of the facts cache (default: PATH/.lockscan).")(func)
    func = click.option("--no-cache", is_flag=True,
                        help="Analyze every file; neither read nor write the cache.")(func)
    return func


def cache_file(path: Path, cache_dir: Path | None) -> Path:
    from lockscan.cache.store import CACHE_NAME, default_cache_path

    return cache_dir / CACHE_NAME if cache_dir else default_cache_path(path)


@click.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=".",
              show_default=True, help="Repository root: scanned whole for import context.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@settings_options
@cache_options
def check_command(files: tuple[Path, ...], root: Path, fmt: str, no_cache: bool,
                  cache_dir: Path | None, **params: Any) -> None:
    """Scan the repository, report and fail only for FILES (the pre-commit hook).

    Example: lockscan check app/chat.py app/llm.py
    """
    settings = settings_for(root, params)
    # The hook runs on every commit: the cache makes it cost only the changed files.
    cache_path = None if no_cache else cache_file(root, cache_dir)
    rules = rules_for(settings, cache_path)
    base = root.resolve()
    wanted = []
    for file in files:
        resolved = file.resolve() if file.is_absolute() else (Path.cwd() / file).resolve()
        try:
            wanted.append(PurePosixPath(resolved.relative_to(base)).as_posix())
        except ValueError as exc:
            raise UsageError(f"{file}: not under --root {root}; run from the repository "
                             "root or pass --root") from exc
    result = restrict(gated_scan(root, settings, rules, cache_path), wanted)
    # Silent when the files pass, as a hook should be; the full report when they fail.
    if fmt != "text" or failures(settings.fail_on, result, result.findings):
        emit(render_scan(result, fmt, rules), None)
    fail_if(settings, result, result.findings)


@click.command("baseline")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              default=Path("lockscan-baseline.json"), show_default=True,
              help="Baseline file to write.")
@settings_options
def baseline_command(path: Path, output: Path, **params: Any) -> None:
    """Write a baseline of today's findings; `scan --baseline FILE` then reports only new ones.

    Example: lockscan baseline . --output lockscan-baseline.json
    """
    params["baseline"] = None  # a baseline is written from every finding
    settings = settings_for(path, params)
    result = scan(path, excluding(settings.config, path, output), rules_for(settings))
    emit(baseline_text(result.findings), output)
    click.echo(f"lockscan: wrote {len(result.findings)} findings to {output}", err=True)


@click.command("diff")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--base", "base_ref", required=True, help="Git ref to compare with (e.g. origin/main).")
@click.option("--head", "head_ref", default=None, help="Git ref to compare (default: working tree).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--sarif", "sarif_output", type=click.Path(path_type=Path),
              help="Also write SARIF 2.1.0 to FILE (one scan for a comment and code scanning).")
@click.option("--link-base", default="",
              help="Prefix for `path#Lline` links in markdown, e.g. "
                   "https://github.com/OWNER/REPO/blob/SHA/")
@settings_options
def diff_command(path: Path, base_ref: str, head_ref: str | None, fmt: str,
                 output: Path | None, sarif_output: Path | None, link_base: str,
                 **params: Any) -> None:
    """Show the vendor coupling a change adds or removes compared with a git ref.

    Example: lockscan diff --base origin/main --format markdown
    """
    from lockscan.gates.diff import compare, gate_result, repo_root  # git and tar: diff only

    params["baseline"] = None  # the base ref is the baseline here
    settings = settings_for(path, params)
    rules = rules_for(settings)
    repo, rel = repo_root(path)
    import tempfile  # ~20 ms to import: the diff command only

    with tempfile.TemporaryDirectory(prefix="lockscan-diff-") as temp:
        base = _side(repo, base_ref, Path(temp) / "base", rel, settings, rules)
        if head_ref is None:
            head = gated_scan(path, settings, rules)
        else:
            head = _side(repo, head_ref, Path(temp) / "head", rel, settings, rules)
    root = str(path)  # both sides report the path the user gave, not a temp folder
    diff = compare(replace(base, root=root), replace(head, root=root), base_ref, head_ref)
    buffer = io.StringIO()
    reporter = DIFF_REPORTERS[fmt]
    if fmt == "markdown":
        reporter = partial(reporter, link_base=link_base)
    reporter(diff, buffer)
    emit(buffer.getvalue(), output)
    if sarif_output is not None:
        sarif = io.StringIO()
        DIFF_REPORTERS["sarif"](diff, sarif)
        emit(sarif.getvalue(), sarif_output)
    fail_if(settings, gate_result(diff), diff.added)


def _side(repo: Path, ref: str, dest: Path, rel: str, settings: Settings,
          rules: RuleSet) -> ScanResult:
    from lockscan.gates.diff import materialize

    dest.mkdir()
    materialize(repo, ref, dest)
    root = dest / rel if rel else dest
    if not root.exists():  # the folder is new in this change: nothing there before
        os.makedirs(root)
    return gated_scan(root, settings, rules)


COMMANDS = (config_command, check_command, baseline_command, diff_command)
