//! Argument parsing, file discovery, output and exit codes.

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wabalint::config::{self, Config};
use wabalint::crossfile::CrossRecord;
use wabalint::diagnostic::{Diagnostic, Severity};
use wabalint::engine::{count, Engine, FileReport, Options};
use wabalint::render::{self, human, Summary};
use wabalint::rules::{self, RuleSet, RuleSetError};
use wabalint::source::SourceFile;
use wabalint::suppress::Settle;
use wabalint::{explain, kind::Kind, schema};

/// Exit codes (documented in the README).
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "wabalint",
    version,
    about = "Lint WhatsApp Business Platform manifests — templates, phone numbers, accounts, campaigns — before Meta or Genesys Cloud sees them."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct RuleArgs {
    /// Bundled rule profile: `meta` (WhatsApp Business Platform) or `genesys` (Meta + Genesys
    /// Cloud) [default: the configuration's profile, else genesys].
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(rules::profile_names()))]
    profile: Option<String>,
    /// A rule file to use instead of the profile; it may `extends:` a profile.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Format {
    /// Graphical report with source snippets (miette).
    Human,
    /// One line per finding: `file:line:col: severity rule message`.
    Concise,
    /// The documented JSON contract.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (pull-request annotations).
    Github,
    /// JUnit XML, one test case per file and rule.
    Junit,
}

/// `--output [FORMAT:]FILE`: another report written to a file (format from the prefix or the
/// extension: .sarif, .json, .xml, .txt).
#[derive(Clone, Debug)]
struct OutputSpec {
    format: Format,
    path: PathBuf,
}

fn parse_output(text: &str) -> Result<OutputSpec, String> {
    if let Some((prefix, path)) = text.split_once(':') {
        if let Ok(format) = Format::from_str(prefix, true) {
            return Ok(OutputSpec {
                format,
                path: PathBuf::from(path),
            });
        }
    }
    let path = PathBuf::from(text);
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("sarif") => Format::Sarif,
        Some("json") => Format::Json,
        Some("xml") => Format::Junit,
        Some("txt" | "log") => Format::Concise,
        _ => {
            return Err(format!(
                "cannot tell the format of `{text}`: use FORMAT:FILE, e.g. sarif:{text}"
            ))
        }
    };
    Ok(OutputSpec { format, path })
}

#[derive(Copy, Clone, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Evaluate as of this date (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Also write a report to a file: `[FORMAT:]FILE` (format from the extension:
    /// .sarif, .json, .xml = junit, .txt = concise). Repeatable.
    #[arg(long, value_name = "[FORMAT:]FILE", value_parser = parse_output)]
    output: Vec<OutputSpec>,
    /// Name to report for stdin (`-`); relative references resolve from its directory.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Configuration file [default: wabalint.yaml or .wabalint.yaml here or in a parent directory].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    no_config: bool,
    /// Report only these rules: ids or prefixes (`template/`, `template/body`); comma-separated, repeatable.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Do not report these rules: ids or prefixes; comma-separated, repeatable.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Change a rule's severity: `RULE=error|warning|info|off`. Repeatable.
    #[arg(long, value_name = "RULE=LEVEL")]
    severity: Vec<String>,
    /// Exit 1 when a finding of at least this severity is reported.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Exit 0 even when findings are reported (2 still means wabalint could not run).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only: no summary line, no hints.
    #[arg(long, short)]
    quiet: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Apply the configuration's `exclude` also to paths given on the command line (for pre-commit).
    #[arg(long)]
    force_exclude: bool,
    /// Raise or lower a limit on untrusted input: `NAME=VALUE` with NAME one of max_file_size
    /// (bytes), max_depth, max_nodes, max_aliases, max_documents, max_diagnostics. Repeatable.
    #[arg(long, value_name = "NAME=VALUE")]
    limit: Vec<String>,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq, PartialOrd, Ord)]
enum FailOn {
    Info,
    Warning,
    Error,
}

#[derive(Subcommand)]
enum Command {
    /// Check manifests (files or directories; `-` reads stdin; default: the current directory).
    Check(CheckArgs),
    /// List the rules of a rule set with their severity and summary.
    Rules {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Explain a rule: what it checks, why, how to fix it, its source and an example.
    Explain {
        /// Rule id, e.g. `template/body-trailing-placeholder`.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// List the check functions rules can use, with their options.
    Functions,
    /// Print the rule reference (Markdown) of the bundled profiles, as in rules/README.md.
    Reference,
    /// Read and parse files without evaluating rules (the benchmark's baseline).
    #[command(hide = true)]
    ParseOnly { paths: Vec<PathBuf> },
    /// Print the JSON Schema of a manifest kind (template, phone_number, account, campaign) or `ruleset`.
    Schema { name: String },
}

pub fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        // A user's rule file is text from anywhere: its control and bidi characters are shown
        // escaped, as in reports.
        Command::Rules { rules } => {
            with_rules(&rules, |set| print!("{}", shown(&explain::list(set))))
        }
        Command::Explain { id, rules } => {
            let mut code = EXIT_OK;
            let status = with_rules(&rules, |set| match explain::explain(set, &id) {
                Some(text) => print!("{}", shown(&text)),
                None => {
                    let ids = set.rules.iter().chain(&set.disabled).map(|r| &*r.id);
                    let hint = wabalint::suggest::did_you_mean(&id, ids)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| "; `wabalint rules` lists the rule ids".to_string());
                    eprintln!("error: there is no rule `{id}`{hint}");
                    code = EXIT_FAILURE;
                }
            });
            status.max(code)
        }
        Command::ParseOnly { paths } => parse_only(paths),
        Command::Reference => {
            print!("{}", explain::reference());
            EXIT_OK
        }
        Command::Functions => {
            for f in rules::functions::FUNCTIONS {
                println!("{}\n    {}\n    options: {}", f.name, f.summary, f.options);
                if !f.args.is_empty() {
                    println!("    message arguments: {}", f.args);
                }
            }
            EXIT_OK
        }
        Command::Schema { name } => match Kind::parse(&name).map(schema::schema_text) {
            Some(text) => {
                println!("{text}");
                EXIT_OK
            }
            None if name == "ruleset" => {
                println!("{}", rules::RULESET_SCHEMA);
                EXIT_OK
            }
            None if name == "config" => {
                println!("{}", config::CONFIG_SCHEMA);
                EXIT_OK
            }
            None => {
                eprintln!("error: unknown schema `{name}`; use template, phone_number, account, campaign, agentless_request, ruleset or config");
                EXIT_FAILURE
            }
        },
    }
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, RuleSetError> {
    match &args.rules {
        Some(path) => rules::load_file(path),
        None => rules::load_profile(args.profile.as_deref().unwrap_or(rules::DEFAULT_PROFILE)),
    }
}

fn with_rules(args: &RuleArgs, f: impl FnOnce(&RuleSet)) -> u8 {
    match load_rules(args) {
        Ok(set) => {
            f(&set);
            EXIT_OK
        }
        Err(e) => report_ruleset_error(&e),
    }
}

fn report_ruleset_error(e: &RuleSetError) -> u8 {
    let style = style(ColorChoice::Auto, std::io::stderr().is_terminal());
    let mut err = std::io::stderr().lock();
    for d in &e.diagnostics {
        let _ = write!(err, "{}", human::render(d, style));
    }
    let _ = writeln!(
        err,
        "error: the rule set is invalid ({} problem{}); nothing was checked",
        e.diagnostics.len(),
        if e.diagnostics.len() == 1 { "" } else { "s" }
    );
    EXIT_FAILURE
}

fn style(choice: ColorChoice, is_terminal: bool) -> human::Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    human::Style { color, width }
}

fn as_of(text: Option<&str>) -> Result<jiff::civil::Date, String> {
    match text {
        Some(t) => t
            .parse()
            .map_err(|e| format!("--as-of `{t}` is not a date (YYYY-MM-DD): {e}")),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

/// An input: a path found on disk (explicit or walked) or stdin.
enum Input {
    /// Shared with what the file records for checks across files.
    File {
        path: Arc<Path>,
        explicit: bool,
    },
    Stdin,
}

impl Input {
    /// The path reports name the input by and read suppression settings for; none for stdin.
    fn path(&self) -> Option<&Path> {
        match self {
            Input::File { path, .. } => Some(path),
            Input::Stdin => None,
        }
    }
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
            let name = path.map(|p| p.display().to_string()).unwrap_or_default();
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
            (Checked::Settled { .. }, Some(path)) => path.display().to_string().into(),
            (Checked::Settled { .. }, None) => "".into(),
        }
    }
}

/// Multi-line text for the terminal with its other control characters escaped.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    render::escape_controls(text, &['\n', '\t'])
}

fn check(args: CheckArgs) -> u8 {
    let config = match load_config(&args) {
        Ok(config) => config,
        Err(e) => return report_ruleset_error(&e),
    };
    let mut set = match load_check_rules(&args, config.as_ref()) {
        Ok(set) => set,
        Err(e) => return report_ruleset_error(&e),
    };
    for spec in &args.severity {
        let parsed = spec
            .split_once('=')
            .and_then(|(id, level)| Some((id.trim(), rules::Level::parse(level.trim())?)));
        let Some((id, level)) = parsed else {
            eprintln!("error: `--severity {spec}`: expected RULE=error|warning|info|off");
            return EXIT_FAILURE;
        };
        if let Err(known) = set.set_level(id, level) {
            let hint = wabalint::suggest::did_you_mean(id, known.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!("error: `--severity {spec}`: there is no rule `{id}`{hint}");
            return EXIT_FAILURE;
        }
    }
    let as_of = match (args.as_of.as_deref(), config.as_ref().and_then(|c| c.as_of)) {
        (None, Some(day)) => day,
        (text, _) => match as_of(text) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_FAILURE;
            }
        },
    };
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
        if let Err(e) = parsed.and_then(|v| limits.set(&name, v)) {
            eprintln!("error: --limit {name}={value}: {e}");
            return EXIT_FAILURE;
        }
    }
    let engine = Engine::new(set, Options { as_of, limits });
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
    let Discovered {
        inputs,
        mut skipped,
        failed: walk_errors,
        links,
    } = discover(paths, wanted);
    let stdin_name = args.stdin_filename.clone();
    // Only the graphical report quotes source lines; the others need positions alone.
    let quote = std::iter::once(args.format)
        .chain(args.output.iter().map(|o| o.format))
        .any(|f| matches!(f, Format::Human));
    let check_input = |input: &Input| match input {
        Input::File { path, explicit } => {
            let mut report = engine.check_path(path, *explicit);
            report.shrink(quote);
            Checked::new(report)
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            let name = stdin_name.clone().unwrap_or_else(|| "<stdin>".into());
            let report = match std::io::stdin()
                .take(engine.options().limits.max_file_size as u64 + 1)
                .read_to_end(&mut bytes)
            {
                Ok(_) => {
                    let path = stdin_name.as_deref().map(|n| Arc::from(Path::new(n)));
                    engine.check_bytes(&name, path.as_ref(), bytes, true)
                }
                Err(_) => engine.check_path(&Arc::from(Path::new(&name)), true),
            };
            Checked::Report(Box::new(report))
        }
    };
    // One file (a pre-commit hook's usual run) is checked without starting a thread per core.
    let mut checked: Vec<Checked> = if inputs.len() > 1 {
        inputs.par_iter().map(check_input).collect()
    } else {
        inputs.iter().map(check_input).collect()
    };
    for path in &walk_errors {
        let report = engine.check_path(&Arc::from(path.as_path()), true);
        checked.push(Checked::Report(Box::new(report)));
    }
    // The path of each checked file, in the same order.
    let paths = || {
        let walked = walk_errors.iter().map(|p| Some(p.as_path()));
        inputs.iter().map(Input::path).chain(walked)
    };
    // Checks across files report into the file they are about.
    let mut found = engine.finish(checked.iter().flat_map(Checked::records));
    let mut by_file: std::collections::HashMap<String, Vec<Diagnostic>> = Default::default();
    for d in found.diagnostics {
        by_file
            .entry(d.file.name().to_string())
            .or_default()
            .push(d);
    }
    for (c, path) in checked.iter_mut().zip(paths()) {
        if !by_file.is_empty() || !found.hidden.is_empty() {
            let name = c.name(path);
            let ours = by_file.remove(&*name).unwrap_or_default();
            let hidden = found.hidden.remove(&*name).unwrap_or(0);
            drop(name);
            if !ours.is_empty() || hidden > 0 {
                engine.merge(c.report(path), ours, hidden);
            }
        }
        match c {
            Checked::Settled { records, .. } => *records = Box::default(),
            Checked::Report(r) => r.records = Vec::new(),
        }
    }
    // Reports stay in input order (directories sorted by path); each is sorted by position.
    let mut settle = Settle::new(config.as_ref(), engine.rules());
    // Sized once: doubling a vector of every diagnostic of a large run would hold two.
    let found_in_files = checked.iter().map(|c| match c {
        Checked::Report(r) => r.diagnostics.len(),
        Checked::Settled { .. } => 0,
    });
    let mut diagnostics: Vec<Diagnostic> = Vec::with_capacity(found_in_files.sum());
    // Names of the files checked, for the JUnit report (one test suite per file).
    let junit = std::iter::once(args.format)
        .chain(args.output.iter().map(|o| o.format))
        .any(|f| matches!(f, Format::Junit));
    let mut file_names = Vec::new();
    let mut files = 0;
    for (c, path) in checked.into_iter().zip(paths()) {
        // A file's name is written out only for the JUnit report.
        let (name, recognized) = match c {
            Checked::Settled { recognized, .. } => (
                junit.then(|| path.map(|p| p.display().to_string()).unwrap_or_default()),
                recognized,
            ),
            Checked::Report(mut r) => {
                settle.file(&r.file, path, &mut r.diagnostics);
                r.diagnostics.retain(|d| selected(&args, d.rule()));
                r.diagnostics
                    .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
                let shown = r.recognized || !r.diagnostics.is_empty();
                diagnostics.extend(r.diagnostics);
                (junit.then(|| r.file.name().to_string()), shown)
            }
        };
        if !recognized {
            skipped += 1;
            continue;
        }
        files += 1;
        file_names.extend(name);
    }
    diagnostics.extend(
        settle
            .unused()
            .into_iter()
            .filter(|d| selected(&args, d.rule())),
    );
    let summary = Summary {
        files,
        errors: count(&diagnostics, Severity::Error),
        warnings: count(&diagnostics, Severity::Warning),
        infos: count(&diagnostics, Severity::Info),
        skipped,
    };
    let render = |format: Format, terminal: bool| match format {
        Format::Json => render::json::render(&diagnostics, &summary),
        Format::Concise => render::concise::render(&diagnostics),
        Format::Github => render::github::render(&diagnostics),
        Format::Junit => render::junit::render(&diagnostics, &file_names),
        Format::Sarif => render::sarif::render(&diagnostics, engine.rules()),
        Format::Human => {
            let summary = (!args.quiet).then_some(&summary);
            human::render_all(&diagnostics, summary, style(args.color, terminal))
        }
    };
    // JSON is written as it is serialised: a report over many files is never held whole.
    let write = |format: Format, terminal: bool, out: &mut dyn Write| match format {
        Format::Json => render::json::write(&diagnostics, &summary, out),
        other => out.write_all(render(other, terminal).as_bytes()),
    };
    for spec in &args.output {
        let written = std::fs::File::create(&spec.path).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write(spec.format, false, &mut out)?;
            out.flush()
        });
        if let Err(e) = written {
            eprintln!(
                "error: cannot write `{}`: {}",
                spec.path.display(),
                wabalint::source::io_reason(&e)
            );
            return EXIT_FAILURE;
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if args.statistics && matches!(args.format, Format::Human | Format::Concise) {
        out.write_all(statistics(&diagnostics, engine.rules()).as_bytes())
    } else {
        write(args.format, std::io::stdout().is_terminal(), &mut out)
    };
    if written.and_then(|_| out.flush()).is_err() {
        return EXIT_FAILURE;
    }
    drop(out);
    if !args.quiet {
        for why in &links {
            eprintln!(
                "warning: not checked: {}",
                render::escape_controls(why, &[])
            );
        }
    }
    if summary.files == 0 && missing.is_empty() && !args.quiet {
        eprintln!("warning: no manifests found (looked for .json, .yaml and .yml files)");
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let code = if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        eprintln!(
            "error: {} does not exist",
            render::escape_controls(&list.join(", "), &[])
        );
        EXIT_FAILURE
    } else if !args.exit_zero && diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends here: freeing the rule set and every diagnostic one by one is wasted time.
    std::mem::forget(engine);
    std::mem::forget(diagnostics);
    code
}

/// Reads and parses what `check` would, in the same way, and evaluates nothing.
fn parse_only(paths: Vec<PathBuf>) -> u8 {
    let inputs = discover(paths, |_, _| true).inputs;
    let limits = wabalint::document::ParseLimits::default();
    let nodes: usize = inputs
        .par_iter()
        .map(|input| {
            let Input::File { path, .. } = input else {
                return 0;
            };
            let Ok(bytes) = std::fs::read(path) else {
                return 0;
            };
            let Ok(text) = wabalint::document::decode(bytes) else {
                return 0;
            };
            let source = std::sync::Arc::new(wabalint::source::SourceFile::new(
                path.display().to_string(),
                text,
            ));
            wabalint::document::parse(source, &limits)
                .map(|d| d.trees.iter().map(|t| t.spans.len()).sum())
                .unwrap_or(0)
        })
        .sum();
    println!("{} files parsed, {nodes} nodes", inputs.len());
    EXIT_OK
}

fn load_config(args: &CheckArgs) -> Result<Option<Config>, RuleSetError> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => {
            let cwd = std::env::current_dir().unwrap_or_default();
            config::discover(&cwd).map(|p| p.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(p))
        }
    };
    path.map(|p| config::load(&p)).transpose()
}

fn load_check_rules(args: &CheckArgs, config: Option<&Config>) -> Result<RuleSet, RuleSetError> {
    let profile = args
        .rules
        .profile
        .clone()
        .or_else(|| config.and_then(|c| c.profile.clone()))
        .unwrap_or_else(|| rules::DEFAULT_PROFILE.to_string());
    let mut set = match (&args.rules.rules, config) {
        (Some(file), _) => rules::load_file(file)?,
        (None, Some(c)) => rules::load_layers(&profile, &c.rules)?,
        (None, None) => rules::load_profile(&profile)?,
    };
    if let Some(c) = config {
        c.apply_severity(&mut set)?;
    }
    Ok(set)
}

/// `--select`/`--ignore` by rule id or prefix; input problems are always shown unless ignored.
fn selected(args: &CheckArgs, rule: &str) -> bool {
    let matches = |list: &[String]| {
        list.iter()
            .any(|p| rule == p || rule.starts_with(p.as_str()))
    };
    let always = matches!(
        rule,
        "manifest/syntax" | "manifest/unreadable" | "manifest/encoding"
    );
    (args.select.is_empty() || matches(&args.select) || always) && !matches(&args.ignore)
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
        let summary = set
            .rule(rule)
            .map(|r| &*r.summary)
            .or_else(|| wabalint::builtin::find(rule).map(|c| c.summary))
            .unwrap_or("");
        out.push_str(&format!(
            "{n:6}  {:7}  {}  {}\n",
            severity.as_str(),
            render::escape_controls(rule, &[]),
            render::escape_controls(summary, &[])
        ));
    }
    out
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// What [`discover`] found.
struct Discovered {
    /// In a stable order: paths as given, directories sorted by path.
    inputs: Vec<Input>,
    /// Files a walk passed over (not manifests, excluded, or links not followed).
    skipped: usize,
    /// Paths a walk failed on.
    failed: Vec<PathBuf>,
    /// Why symbolic links to manifests were not checked, for a warning.
    links: Vec<String>,
}

/// Expands paths: files as given, directories walked (hidden and git-ignored paths skipped).
fn discover(paths: Vec<PathBuf>, wanted: impl Fn(&Path, bool) -> bool) -> Discovered {
    let mut out = Discovered {
        inputs: Vec::new(),
        skipped: 0,
        failed: Vec::new(),
        links: Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    let mut stdin_taken = false;
    let relative = |path: PathBuf| -> Arc<Path> {
        match path.strip_prefix("./") {
            Ok(rest) => rest.into(),
            Err(_) => path.into(),
        }
    };
    for path in paths {
        if path.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin_taken, true) {
                out.inputs.push(Input::Stdin);
            }
            continue;
        }
        if !path.is_dir() {
            if !wanted(&path, true) {
                out.skipped += 1;
                continue;
            }
            if seen.insert(real_path(&path)) {
                out.inputs.push(Input::File {
                    path: path.into(),
                    explicit: true,
                });
            }
            continue;
        }
        let root = path.canonicalize().unwrap_or_else(|_| path.clone());
        // Paths as found (shared with what the files record later), and whether each is a link.
        let mut found: Vec<(Arc<Path>, bool)> = Vec::new();
        let walker = ignore::WalkBuilder::new(&path)
            .hidden(true)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                    let wanted = is_manifest_name(e.path()) && wanted(e.path(), false);
                    match wanted.then(|| linked_file(e.path(), &root)) {
                        Some(Ok(())) => found.push((relative(e.into_path()), true)),
                        Some(Err(why)) => {
                            out.skipped += 1;
                            out.links
                                .push(format!("`{}` {why}", relative(e.into_path()).display()));
                        }
                        None => out.skipped += 1,
                    }
                }
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if is_manifest_name(e.path()) && wanted(e.path(), false) {
                        found.push((relative(e.into_path()), false));
                    } else {
                        out.skipped += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(p) = error_path(&e) {
                        out.failed.push(p);
                    }
                }
            }
        }
        // Files before links to them: a file is checked once, under its own name if walked.
        found.sort_unstable_by(|(a, a_link), (b, b_link)| a_link.cmp(b_link).then(a.cmp(b)));
        let walked = relative(path.clone());
        for (path, link) in found {
            // No link on the way down to a walked file (links are not followed): its real path
            // is the walked directory's, without a system call per file.
            let real = match path.strip_prefix(&walked) {
                Ok(rest) if !link => root.join(rest).into_boxed_path(),
                _ => real_path(&path),
            };
            if seen.insert(real) {
                out.inputs.push(Input::File {
                    path,
                    explicit: false,
                });
            }
        }
    }
    out.inputs.shrink_to_fit();
    out
}

/// Where a path leads, to check a file reached several ways once.
fn real_path(path: &Path) -> Box<Path> {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .into_boxed_path()
}

/// A symbolic link found in a walk is checked when it points to a regular file inside the
/// walked directory. Followed outside it, a link committed to a repository could show any file
/// of the machine (a CI runner's credentials) in the report.
fn linked_file(link: &Path, root: &Path) -> Result<(), String> {
    let target = link.canonicalize().map_err(|_| {
        "is a symbolic link that cannot be followed (dangling, or a loop)".to_string()
    })?;
    if !target.starts_with(root) {
        return Err(format!(
            "is a symbolic link to `{}`, outside the directory being checked (name it on the command line to check it)",
            target.display()
        ));
    }
    if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
        return Err("is a symbolic link to something other than a regular file".into());
    }
    Ok(())
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}
