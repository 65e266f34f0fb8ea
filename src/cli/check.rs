//! `wabalint check`: from the command line to a verdict.

use super::{
    output, report_ruleset_error, style, warn, CheckArgs, FailOn, Format, EXIT_FAILURE,
    EXIT_FINDINGS, EXIT_OK,
};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wabalint::config::{self, Config};
use wabalint::crossfile::CrossRecord;
use wabalint::diagnostic::{Counts, Diagnostic, Severity};
use wabalint::discover::{discover, Discovered, Input};
use wabalint::engine::{Engine, FileReport, Options};
use wabalint::project::{Found, Root};
use wabalint::render::{self, human, Summary};
use wabalint::rules::{self, RuleSet, RuleSetError};
use wabalint::source::{shown_path, SourceFile};
use wabalint::suppress::{Selection, Settle};

pub fn check(args: CheckArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let (root, config) = match project(&args, &cwd) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let mut set = match load_check_rules(&args, config.as_ref(), &root) {
        Ok(set) => set,
        Err(e) => return report_ruleset_error(e, &root),
    };
    let setup = severity_flags(&args, &mut set)
        .and_then(|()| evaluation_day(&args, config.as_ref()))
        .and_then(|day| Ok((day, limits(&args, config.as_ref())?)))
        .and_then(|(day, limits)| Ok((day, limits, stdin_name(&args, &root)?)));
    let (as_of, limits, stdin_name) = match setup {
        Ok(setup) => setup,
        Err(message) => {
            warn(&format!("error: {message}"));
            return EXIT_FAILURE;
        }
    };
    // `--statistics` counts what it lists: nothing is held back from it.
    let max_shown = match args.statistics {
        true => usize::MAX,
        false => limits.max_diagnostics,
    };
    let options = Options {
        as_of,
        limits,
        root: root.clone(),
        exported_records: config
            .as_ref()
            .map(|c| c.exported_records)
            .unwrap_or_default(),
    };
    let engine = Engine::new(set, options);
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let missing: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err())
        .cloned()
        .collect();
    let wanted = |path: &Path, explicit: bool| match &config {
        Some(c) if explicit => !(args.force_exclude && c.excluded(path)),
        Some(c) => !c.excluded(path) && c.included(path),
        None => true,
    };
    let found = discover(paths, &root, wanted);
    if let Err(why) = refuse_outputs(&args, &found, config.as_ref(), engine.rules(), &root) {
        warn(&format!("error: {why}"));
        return EXIT_FAILURE;
    }
    let selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let settle = Settle::new(config.as_ref(), engine.rules(), &selection, max_shown);
    let run = Run {
        engine: &engine,
        settle: &settle,
        root: &root,
        stdin_name: stdin_name.as_deref(),
        quote: formats(&args).any(|f| f == Format::Human),
        junit: formats(&args).any(|f| f == Format::Junit),
        config_outside: config
            .as_ref()
            .filter(|c| !root.contains(&c.path))
            .map(|c| c.file.name().to_string()),
    };
    let result = run.all(found);
    let summary = Summary {
        files: result.files,
        errors: result.counts.errors,
        warnings: result.counts.warnings,
        infos: result.counts.infos,
        skipped: result.skipped,
        root: Some(root.shown().to_string()),
        config: Some(
            config
                .as_ref()
                .map(|c| wabalint::project::shown_from_cwd(&c.path)),
        ),
    };
    if write_reports(&args, &result, &summary, &engine, &root).is_err() {
        return EXIT_FAILURE;
    }
    if !args.quiet {
        for why in &result.links {
            warn(&format!("warning: not checked: {why}"));
        }
    }
    if summary.files == 0 && missing.is_empty() && !args.quiet {
        warn("warning: no manifests found (looked for .json, .yaml and .yml files)");
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let code = if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|p| format!("`{}`", super::named(p)))
            .collect();
        warn(&format!("error: {} does not exist", list.join(", ")));
        EXIT_FAILURE
    } else if !args.exit_zero && result.counts.at_least(threshold) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends here: freeing the rule set and every diagnostic one by one is wasted time.
    std::mem::forget(engine);
    std::mem::forget(result);
    code
}

/// Every format the run writes: stdout's and the `--output` files'.
fn formats(args: &CheckArgs) -> impl Iterator<Item = Format> + '_ {
    std::iter::once(args.format).chain(args.output.iter().map(|o| o.format))
}

/// The project root and the configuration in use. The configuration is `--config`, else the
/// nearest `wabalint.yaml` between the working directory and the git work tree's root (or the
/// working directory alone outside git, or `--root`); the root is `--root`, else the
/// configuration's directory, else the work tree or working directory.
fn project(args: &CheckArgs, cwd: &Path) -> Result<(Root, Option<Config>), u8> {
    let given = args
        .rules
        .root
        .as_ref()
        .map(|dir| Root::at(dir, cwd, Found::Given));
    let boundary = given.clone().unwrap_or_else(|| Root::discover(cwd));
    let path = match (&args.config, args.no_config) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => config::discover(cwd, boundary.path())
            .map(|p| p.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or(p)),
    };
    let Some(path) = path else {
        return Ok((boundary, None));
    };
    let root = given.unwrap_or_else(|| {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        Root::at(dir.unwrap_or(Path::new(".")), cwd, Found::Config)
    });
    // A discovered configuration is a file of the repository: a link out of the project is
    // not read (it could be a CI machine's secrets, quoted in a parse error).
    if args.config.is_none() && !root.contains(&path) {
        warn(&format!(
            "error: the configuration `{}` is a symbolic link that leads outside the project root `{}`; it was not read",
            super::named(&path),
            root.shown()
        ));
        return Err(EXIT_FAILURE);
    }
    match config::load(&path, &root) {
        Ok(config) => Ok((root, Some(config))),
        Err(e) => Err(report_ruleset_error(e, &root)),
    }
}

fn load_check_rules(
    args: &CheckArgs,
    config: Option<&Config>,
    root: &Root,
) -> Result<RuleSet, RuleSetError> {
    let profile = args
        .rules
        .profile
        .clone()
        .or_else(|| config.and_then(|c| c.profile.clone()))
        .unwrap_or_else(|| rules::DEFAULT_PROFILE.to_string());
    let mut set = match (&args.rules.rules, config) {
        (Some(file), _) => rules::load_file(file, root)?,
        (None, Some(c)) => rules::load_layers(&profile, &c.rules, root)?,
        (None, None) => rules::load_profile(&profile)?,
    };
    if let Some(c) = config {
        c.apply_severity(&mut set)?;
    }
    Ok(set)
}

/// `--severity RULE=LEVEL` (the command line may change any rule, built-in checks too).
fn severity_flags(args: &CheckArgs, set: &mut RuleSet) -> Result<(), String> {
    for spec in &args.severity {
        let parsed = spec
            .split_once('=')
            .and_then(|(id, level)| Some((id.trim(), rules::Level::parse(level.trim())?)));
        let Some((id, level)) = parsed else {
            return Err(format!(
                "`--severity {spec}`: expected RULE=error|warning|info|off"
            ));
        };
        if let Err(known) = set.set_level(id, level) {
            let hint = wabalint::suggest::did_you_mean(id, known.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!(
                "`--severity {spec}`: there is no rule `{id}`{hint}"
            ));
        }
    }
    Ok(())
}

/// `--as-of`, else the configuration's `as_of`, else today in UTC: the verdict must not depend
/// on the time zone of the machine (a laptop and a CI runner disagree near midnight).
fn evaluation_day(args: &CheckArgs, config: Option<&Config>) -> Result<jiff::civil::Date, String> {
    match (args.as_of.as_deref(), config.and_then(|c| c.as_of)) {
        (Some(t), _) => t
            .parse()
            .map_err(|e| format!("--as-of `{t}` is not a date (YYYY-MM-DD): {e}")),
        (None, Some(day)) => Ok(day),
        (None, None) => Ok(jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()),
    }
}

/// The limits: defaults, then the configuration's, then `--limit`.
fn limits(
    args: &CheckArgs,
    config: Option<&Config>,
) -> Result<wabalint::document::ParseLimits, String> {
    let mut limits = wabalint::document::ParseLimits::default();
    let from_config = config
        .iter()
        .flat_map(|c| c.limits.iter().map(|(n, v)| (n.clone(), v.to_string())));
    let from_flags = args.limit.iter().map(|l| {
        let (n, v) = l.split_once('=').unwrap_or((l, ""));
        (n.trim().to_string(), v.trim().to_string())
    });
    for (name, value) in from_config.chain(from_flags) {
        let parsed = value
            .parse::<usize>()
            .map_err(|_| format!("`{name}` needs a positive number, not `{value}`"));
        parsed
            .and_then(|v| limits.set(&name, v))
            .map_err(|e| format!("--limit {name}={value}: {e}"))?;
    }
    Ok(limits)
}

/// `--stdin-filename`: references in stdin resolve from its directory, so it must be inside
/// the project root.
fn stdin_name(args: &CheckArgs, root: &Root) -> Result<Option<String>, String> {
    match &args.stdin_filename {
        Some(name) if root.resolve(Path::new("."), name).is_err() => {
            Err(format!("--stdin-filename {}", root.refusal(name)))
        }
        other => Ok(other.clone()),
    }
}

/// `--output` must not write through a link, over what the run reads, or twice to one file.
fn refuse_outputs(
    args: &CheckArgs,
    found: &Discovered,
    config: Option<&Config>,
    set: &RuleSet,
    root: &Root,
) -> Result<(), String> {
    if args.output.is_empty() {
        return Ok(());
    }
    let outputs: Vec<&Path> = args.output.iter().map(|o| o.path.as_path()).collect();
    let config_file = config.map(|c| PathBuf::from(c.file.name()));
    let reads: Vec<&Path> = found
        .inputs
        .iter()
        .filter_map(Input::path)
        .chain(config_file.as_deref())
        .chain(set.files.iter().map(PathBuf::as_path))
        .collect();
    output::refuse(&outputs, &reads, root)
}

/// Whether a file named `name` in a report is outside the project root.
pub fn outside(name: &str, root: &Root) -> bool {
    if name.is_empty() || name.starts_with('<') {
        return false;
    }
    !root.contains(&wabalint::source::path_of_name(name))
}

/// What a run keeps of a checked file until it reports, next to the file's input (which
/// holds its path): 24 bytes for most files of a large run.
enum Checked {
    /// Nothing to report or to settle, only records for checks across files.
    Settled {
        recognized: bool,
        records: Box<[CrossRecord]>,
    },
    Report(Box<FileReport>),
}

impl Checked {
    fn new(mut report: FileReport) -> Checked {
        if report.is_settled() {
            Checked::Settled {
                recognized: report.recognized,
                records: std::mem::take(&mut report.records).into_boxed_slice(),
            }
        } else {
            Checked::Report(Box::new(report))
        }
    }

    fn records(&self) -> &[CrossRecord] {
        match self {
            Checked::Settled { records, .. } => records,
            Checked::Report(r) => &r.records,
        }
    }

    /// The report findings across files are added to; a settled file (at `path`) gets one.
    fn report(&mut self, path: Option<&Path>) -> &mut FileReport {
        if let Checked::Settled { recognized, .. } = *self {
            let name = path.map(shown_path).unwrap_or_default();
            let mut report = FileReport::of(Arc::new(SourceFile::named(name)));
            report.recognized = recognized;
            *self = Checked::Report(Box::new(report));
        }
        match self {
            Checked::Report(r) => r,
            Checked::Settled { .. } => unreachable!("made a report above"),
        }
    }

    fn name(&self, path: Option<&Path>) -> std::borrow::Cow<'_, str> {
        match (self, path) {
            (Checked::Report(r), _) => r.file.name().into(),
            (Checked::Settled { .. }, Some(path)) => shown_path(path).into(),
            (Checked::Settled { .. }, None) => "".into(),
        }
    }
}

/// One run of `check` over the inputs found.
struct Run<'a> {
    engine: &'a Engine,
    settle: &'a Settle<'a>,
    root: &'a Root,
    stdin_name: Option<&'a str>,
    /// Whether a report quotes source lines (the human one): other files keep positions only.
    quote: bool,
    /// Whether the JUnit report, which lists every file, is written.
    junit: bool,
    /// The configuration's name when it is outside the project root (`--config` with `--root`
    /// elsewhere): its notes are not quoted either.
    config_outside: Option<String>,
}

/// What a run found: the diagnostics to show (in order), the counts of every finding.
struct Outcome {
    diagnostics: Vec<Diagnostic>,
    counts: Counts,
    files: usize,
    skipped: usize,
    /// Names of the files checked, for the JUnit report.
    file_names: Vec<String>,
    links: Vec<String>,
}

impl Run<'_> {
    fn all(&self, found: Discovered) -> Outcome {
        let Discovered {
            inputs,
            mut skipped,
            failed,
            links,
        } = found;
        // One file (a pre-commit hook's usual run) is checked without starting a thread per core.
        let mut checked: Vec<Checked> = if inputs.len() > 1 {
            inputs.par_iter().map(|i| self.one(i)).collect()
        } else {
            inputs.iter().map(|i| self.one(i)).collect()
        };
        for path in &failed {
            let report = self.engine.check_path(&Arc::from(path.as_path()), true);
            let report = self.settled(report, Some(path));
            checked.push(Checked::Report(Box::new(report)));
        }
        let paths = || {
            let walked = failed.iter().map(|p| Some(p.as_path()));
            inputs.iter().map(Input::path).chain(walked)
        };
        let outside: HashSet<String> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::File {
                    path,
                    inside: false,
                    ..
                } => Some(shown_path(path)),
                _ => None,
            })
            .chain(self.config_outside.clone())
            .collect();
        // Checks across files report into the file they are about.
        let mut across: std::collections::HashMap<String, Vec<Diagnostic>> = Default::default();
        for d in self
            .engine
            .finish(checked.iter().flat_map(Checked::records))
        {
            across.entry(d.file.name().to_string()).or_default().push(d);
        }
        let found_in_files = checked.iter().map(|c| match c {
            Checked::Report(r) => r.diagnostics.len(),
            Checked::Settled { .. } => 0,
        });
        let mut out = Outcome {
            // Sized once: doubling a vector of every diagnostic of a large run would hold two.
            diagnostics: Vec::with_capacity(found_in_files.sum()),
            counts: Counts::default(),
            files: 0,
            skipped: 0,
            file_names: Vec::new(),
            links,
        };
        for (mut c, path) in checked.into_iter().zip(paths()) {
            let ours = match across.is_empty() {
                true => Vec::new(),
                false => across.remove(&*c.name(path)).unwrap_or_default(),
            };
            if !ours.is_empty() {
                let report = c.report(path);
                let name = report.file.name().to_string();
                let tally = &mut report.tally;
                self.settle
                    .add(&name, path, ours, &mut report.diagnostics, tally);
            }
            let (name, recognized) = match c {
                Checked::Settled { recognized, .. } => (
                    self.junit.then(|| path.map(shown_path).unwrap_or_default()),
                    recognized,
                ),
                Checked::Report(mut r) => {
                    self.settle.close(path, &mut r.diagnostics, &mut r.tally);
                    out.counts.merge(r.tally.counts);
                    let shown = r.recognized || !r.diagnostics.is_empty();
                    out.diagnostics.extend(r.diagnostics);
                    (self.junit.then(|| r.file.name().to_string()), shown)
                }
            };
            if !recognized {
                skipped += 1;
                continue;
            }
            out.files += 1;
            out.file_names.extend(name);
        }
        // Findings about a file the run did not list (none are expected): shown all the same.
        for (name, found) in across {
            let mut tally = Default::default();
            let mut shown = Vec::new();
            self.settle.add(&name, None, found, &mut shown, &mut tally);
            self.settle.close(None, &mut shown, &mut tally);
            out.counts.merge(tally.counts);
            out.diagnostics.extend(shown);
        }
        let unused = self.settle.unused();
        for d in &unused {
            out.counts.add(d.severity);
        }
        out.diagnostics.extend(unused);
        if !outside.is_empty() {
            self.redact(&mut out.diagnostics, &outside);
        }
        out.skipped = skipped;
        out
    }

    /// Checks one input and settles what it found, while its text is at hand.
    fn one(&self, input: &Input) -> Checked {
        let report = match input {
            Input::File { path, explicit, .. } => {
                let report = self.engine.check_path(path, *explicit);
                self.settled(report, Some(path))
            }
            Input::Stdin => {
                let report = self.stdin();
                let path = self.stdin_name.map(Path::new);
                self.settled(report, path)
            }
        };
        Checked::new(report)
    }

    fn settled(&self, mut report: FileReport, path: Option<&Path>) -> FileReport {
        let file = Arc::clone(&report.file);
        self.settle
            .file(&file, path, &mut report.diagnostics, &mut report.tally);
        report.shrink(self.quote);
        report
    }

    fn stdin(&self) -> FileReport {
        let mut bytes = Vec::new();
        let name = self.stdin_name.unwrap_or("<stdin>");
        let max = self.engine.options().limits.max_file_size as u64;
        match std::io::stdin().take(max + 1).read_to_end(&mut bytes) {
            Ok(_) => {
                let path = self.stdin_name.map(|n| Arc::from(Path::new(n)));
                self.engine.check_bytes(name, path.as_ref(), bytes, true)
            }
            Err(_) => self.engine.check_path(&Arc::from(Path::new(name)), true),
        }
    }

    /// Files outside the project root are checked, but nothing of them is quoted.
    fn redact(&self, diagnostics: &mut [Diagnostic], outside: &HashSet<String>) {
        let rules = self.engine.rules();
        for d in diagnostics {
            if outside.contains(d.file.name()) {
                let summary = summary_of(rules, d.rule()).to_string();
                wabalint::diagnostic::redact(d, &summary, self.root.shown());
            }
            for l in d
                .related
                .iter_mut()
                .filter(|l| outside.contains(l.file.name()))
            {
                l.file = wabalint::diagnostic::without_text(&l.file, &[l.span]);
                l.message = "not quoted: the file is outside the project root".into();
            }
        }
    }
}

/// A rule's (or built-in check's) summary.
fn summary_of<'s>(set: &'s RuleSet, rule: &str) -> &'s str {
    set.rule(rule)
        .map(|r| &*r.summary)
        .or_else(|| wabalint::builtin::find(rule).map(|c| c.summary))
        .unwrap_or("")
}

/// Writes the `--output` files, then stdout's report; `Err` once something could not be
/// written (said on stderr).
fn write_reports(
    args: &CheckArgs,
    result: &Outcome,
    summary: &Summary,
    engine: &Engine,
    root: &Root,
) -> Result<(), ()> {
    let diagnostics = &result.diagnostics;
    let render = |format: Format, terminal: bool| match format {
        Format::Json => render::json::render(diagnostics, summary),
        Format::Concise => render::concise::render(diagnostics),
        Format::Github => render::github::render(diagnostics),
        Format::Junit => render::junit::render(diagnostics, &result.file_names),
        Format::Sarif => render::sarif::render(diagnostics, engine.rules(), root.path()),
        Format::Human => {
            let summary = (!args.quiet).then_some(summary);
            human::render_all(diagnostics, summary, style(args.color, terminal))
        }
    };
    // JSON is written as it is serialised: a report over many files is never held whole.
    let write = |format: Format, terminal: bool, out: &mut dyn Write| match format {
        Format::Json => render::json::write(diagnostics, summary, out),
        other => out.write_all(render(other, terminal).as_bytes()),
    };
    for spec in &args.output {
        let written = output::write_atomically(&spec.path, |out| write(spec.format, false, out));
        if let Err(e) = written {
            warn(&format!(
                "error: cannot write `{}`: {} (the file was left as it was)",
                super::named(&spec.path),
                wabalint::source::io_reason(&e)
            ));
            return Err(());
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if args.statistics && matches!(args.format, Format::Human | Format::Concise) {
        out.write_all(statistics(diagnostics, engine.rules()).as_bytes())
    } else {
        write(args.format, std::io::stdout().is_terminal(), &mut out)
    };
    match written.and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                warn(&format!(
                    "error: cannot write the report to standard output: {}",
                    wabalint::source::io_reason(&e)
                ));
            }
            Err(())
        }
    }
}

fn statistics(diagnostics: &[Diagnostic], set: &RuleSet) -> String {
    let mut counts: std::collections::BTreeMap<(&str, Severity), usize> = Default::default();
    for d in diagnostics {
        *counts.entry((d.rule(), d.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for ((rule, severity), n) in rows {
        out.push_str(&format!(
            "{n:6}  {:7}  {}  {}\n",
            severity.as_str(),
            render::escape_controls(rule, &[]),
            render::escape_controls(summary_of(set, rule), &[])
        ));
    }
    render::defuse_text(&out).into_owned()
}

/// Reads and parses what `check` would, in the same way, and evaluates nothing.
pub fn parse_only(paths: Vec<PathBuf>) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = Root::discover(&cwd);
    let inputs = discover(paths, &root, |_, _| true).inputs;
    let limits = wabalint::document::ParseLimits::default();
    let nodes: usize = inputs
        .par_iter()
        .map(|input| {
            let Input::File { path, .. } = input else {
                return 0;
            };
            let Ok(wabalint::source::Read::Bytes(bytes)) =
                wabalint::source::read_regular(path, limits.max_file_size)
            else {
                return 0;
            };
            let Ok(text) = wabalint::document::decode(bytes) else {
                return 0;
            };
            let source = Arc::new(SourceFile::new(shown_path(path), text));
            wabalint::document::parse(source, &limits)
                .map(|d| d.trees.iter().map(|t| t.spans.len()).sum())
                .unwrap_or(0)
        })
        .sum();
    super::print(&format!("{} files parsed, {nodes} nodes\n", inputs.len()))
}
