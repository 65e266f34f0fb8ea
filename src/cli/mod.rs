//! The command line: argument parsing, the subcommands, writing to stdout and exit codes. The
//! `check` command is in [`check`]; writing report files in [`output`].

mod check;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use wabalint::project::{Found, Root};
use wabalint::render::{self, human};
use wabalint::rules::{self, RuleSet, RuleSetError};
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
    /// The project root: files that files name (rule files, `extends`, a campaign's account)
    /// must be inside it [default: the configuration's directory, else the git work tree,
    /// else the working directory].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

impl RuleArgs {
    /// The root `--root` gives, or the one found from the working directory.
    fn root(&self) -> Root {
        let cwd = std::env::current_dir().unwrap_or_default();
        match &self.root {
            Some(dir) => Root::at(dir, &cwd, Found::Given),
            None => Root::discover(&cwd),
        }
    }
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
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
    /// Evaluate as of this date (YYYY-MM-DD); default: today in UTC.
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
    /// Configuration file [default: wabalint.yaml or .wabalint.yaml here or in a parent
    /// directory, up to the project root].
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
    /// (bytes), max_depth, max_nodes, max_aliases, max_documents, max_diagnostics,
    /// max_selector_steps. Repeatable.
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
        /// Only the rules that prevent this Meta error code or subcode.
        #[arg(long, value_name = "CODE")]
        meta_error: Option<u64>,
    },
    /// Explain a rule (what it checks, why, how to fix it, its source and an example), or list
    /// the rules that prevent a Meta error code.
    Explain {
        /// Rule id, e.g. `template/body-trailing-placeholder`, or a Meta error code or subcode,
        /// e.g. `2388299`.
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
        Command::Check(args) => check::check(args),
        // A user's rule file is text from anywhere: its control and bidi characters are shown
        // escaped, as in reports.
        Command::Rules { rules, meta_error } => with_rules(&rules, |set| match meta_error {
            Some(code) => meta_error_rules(set, code),
            None => print(&shown(&explain::list(set))),
        }),
        Command::Explain { id, rules } => with_rules(&rules, |set| explain_rule(set, &id)),
        Command::ParseOnly { paths } => check::parse_only(paths),
        Command::Reference => print(&explain::reference()),
        Command::Functions => print(&functions()),
        Command::Schema { name } => schema_command(&name),
    }
}

fn explain_rule(set: &RuleSet, id: &str) -> u8 {
    if let Ok(code) = id.parse::<u64>() {
        return meta_error_rules(set, code);
    }
    if let Some(text) = explain::explain(set, id) {
        return print(&shown(&text));
    }
    let ids = set.rules.iter().chain(&set.disabled).map(|r| &*r.id);
    let hint = wabalint::suggest::did_you_mean(id, ids)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| "; `wabalint rules` lists the rule ids".to_string());
    warn(&format!("error: there is no rule `{id}`{hint}"));
    EXIT_FAILURE
}

/// The rules that prevent Meta error `code`; exit 2 when none does.
fn meta_error_rules(set: &RuleSet, code: u64) -> u8 {
    match explain::rules_of_meta_error(set, code) {
        Some(text) => print(&shown(&text)),
        None => {
            warn(&format!(
                "error: no rule of the rule set lists Meta error {code}; the rule reference (rules/README.md) names the codes each rule prevents"
            ));
            EXIT_FAILURE
        }
    }
}

fn functions() -> String {
    let mut out = String::new();
    for f in rules::functions::FUNCTIONS {
        out.push_str(&format!(
            "{}\n    {}\n    options: {}\n",
            f.name, f.summary, f.options
        ));
        if !f.args.is_empty() {
            out.push_str(&format!("    message arguments: {}\n", f.args));
        }
    }
    out
}

fn schema_command(name: &str) -> u8 {
    let text = match Kind::parse(name).map(schema::schema_text) {
        Some(text) => text,
        None if name == "ruleset" => rules::RULESET_SCHEMA,
        None if name == "config" => wabalint::config::CONFIG_SCHEMA,
        None => {
            warn(&format!("error: unknown schema `{name}`; use template, phone_number, account, campaign, agentless_request, ruleset or config"));
            return EXIT_FAILURE;
        }
    };
    print(&format!("{text}\n"))
}

/// Writes `text` to stdout: exit 2 with a word on stderr when it cannot be written (a closed
/// pipe, a full disk), never a panic.
fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                warn(&format!(
                    "error: cannot write to standard output: {}",
                    wabalint::source::io_reason(&e)
                ));
            }
            EXIT_FAILURE
        }
    }
}

/// A line for stderr, which a CI log shows too: nothing in it reads as a workflow command.
fn warn(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", render::defuse_text(line));
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, RuleSetError> {
    match &args.rules {
        Some(path) => rules::load_file(path, &args.root()),
        None => rules::load_profile(args.profile.as_deref().unwrap_or(rules::DEFAULT_PROFILE)),
    }
}

fn with_rules(args: &RuleArgs, f: impl FnOnce(&RuleSet) -> u8) -> u8 {
    match load_rules(args) {
        Ok(set) => f(&set),
        Err(e) => report_ruleset_error(e, &args.root()),
    }
}

/// Reports a rule set or configuration that cannot be used (exit 2). A rule file outside the
/// project root (given on the command line) is not quoted.
fn report_ruleset_error(mut e: RuleSetError, root: &Root) -> u8 {
    for d in &mut e.diagnostics {
        if check::outside(d.file.name(), root) {
            let summary = wabalint::builtin::find(d.rule()).map_or("", |c| c.summary);
            wabalint::diagnostic::redact(d, summary, root.shown());
        }
    }
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

/// Multi-line text for the terminal with its other control characters escaped, and no line
/// that reads as a CI workflow command.
fn shown(text: &str) -> String {
    render::defuse_text(&render::escape_controls(text, &['\n', '\t'])).into_owned()
}

/// A path as messages show it.
fn named(path: &Path) -> String {
    render::escape_controls(&wabalint::source::shown_path(path), &[]).into_owned()
}
