//! Argument parsing, file discovery, output and exit codes.

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use wabalint::diagnostic::{Diagnostic, Severity};
use wabalint::engine::{count, Engine, FileReport, Options};
use wabalint::render::{self, human, Summary};
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
    /// Bundled rule profile: `meta` (WhatsApp Business Platform) or `genesys` (Meta + Genesys Cloud).
    #[arg(long, default_value = rules::DEFAULT_PROFILE,
          value_parser = clap::builder::PossibleValuesParser::new(rules::profile_names()))]
    profile: String,
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
        Command::Rules { rules } => with_rules(&rules, |set| print!("{}", explain::list(set))),
        Command::Explain { id, rules } => {
            let mut code = EXIT_OK;
            let status = with_rules(&rules, |set| match explain::explain(set, &id) {
                Some(text) => print!("{text}"),
                None => {
                    let ids = set.rules.iter().chain(&set.disabled).map(|r| r.id.as_str());
                    let hint = wabalint::suggest::did_you_mean(&id, ids)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| "; `wabalint rules` lists the rule ids".to_string());
                    eprintln!("error: there is no rule `{id}`{hint}");
                    code = EXIT_FAILURE;
                }
            });
            status.max(code)
        }
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
            None => {
                eprintln!("error: unknown schema `{name}`; use template, phone_number, account, campaign or ruleset");
                EXIT_FAILURE
            }
        },
    }
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, RuleSetError> {
    match &args.rules {
        Some(path) => rules::load_file(path),
        None => rules::load_profile(&args.profile),
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
    File { path: PathBuf, explicit: bool },
    Stdin,
}

fn check(args: CheckArgs) -> u8 {
    let CheckArgs {
        paths,
        rules: rule_args,
        as_of: as_of_text,
        format,
        output,
        stdin_filename: stdin_name,
        color,
    } = args;
    let rule_args = &rule_args;
    let as_of = match as_of(as_of_text.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    let set = match load_rules(rule_args) {
        Ok(set) => set,
        Err(e) => return report_ruleset_error(&e),
    };
    let engine = Engine::new(
        set,
        Options {
            as_of,
            limits: Default::default(),
        },
    );
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let missing: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err())
        .cloned()
        .collect();
    let (inputs, mut skipped, walk_errors) = discover(paths);
    let mut reports: Vec<FileReport> = inputs
        .par_iter()
        .map(|input| match input {
            Input::File { path, explicit } => engine.check_path(path, *explicit),
            Input::Stdin => {
                let mut bytes = Vec::new();
                let name = stdin_name.clone().unwrap_or_else(|| "<stdin>".into());
                match std::io::stdin().read_to_end(&mut bytes) {
                    Ok(_) => {
                        engine.check_bytes(&name, stdin_name.as_deref().map(Path::new), bytes, true)
                    }
                    Err(_) => engine.check_path(Path::new(&name), true),
                }
            }
        })
        .collect();
    for path in walk_errors {
        reports.push(engine.check_path(&path, true));
    }
    // Checks across files report into the file they are about.
    let records = reports
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.records))
        .collect();
    for d in engine.finish(records) {
        if let Some(r) = reports.iter_mut().find(|r| r.file.name() == d.file.name()) {
            r.diagnostics.push(d);
        }
    }
    // Reports stay in input order (directories sorted by path); each is sorted by position.
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files = 0;
    let mut file_names = Vec::new();
    for mut r in reports {
        r.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        if r.recognized || !r.diagnostics.is_empty() {
            files += 1;
            file_names.push(r.file.name().to_string());
        } else {
            skipped += 1;
        }
        diagnostics.extend(r.diagnostics);
    }
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
        Format::Human => human::render_all(&diagnostics, &summary, style(color, terminal)),
    };
    for spec in &output {
        if let Err(e) = std::fs::write(&spec.path, render(spec.format, false)) {
            eprintln!(
                "error: cannot write `{}`: {}",
                spec.path.display(),
                wabalint::source::io_reason(&e)
            );
            return EXIT_FAILURE;
        }
    }
    let text = render(format, std::io::stdout().is_terminal());
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return EXIT_FAILURE;
    }
    if files == 0 && missing.is_empty() {
        eprintln!("warning: no manifests found (looked for .json, .yaml and .yml files)");
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect();
        eprintln!("error: {} does not exist", list.join(", "));
        EXIT_FAILURE
    } else if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// Expands paths: files as given, directories walked (hidden and git-ignored paths skipped).
/// Returns inputs in a stable order, the number of skipped files, and paths that failed.
fn discover(paths: Vec<PathBuf>) -> (Vec<Input>, usize, Vec<PathBuf>) {
    let mut inputs = Vec::new();
    let mut failed = Vec::new();
    let mut skipped = 0;
    let mut seen = std::collections::HashSet::new();
    let mut stdin_taken = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin_taken, true) {
                inputs.push(Input::Stdin);
            }
            continue;
        }
        if !path.is_dir() {
            if seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())) {
                inputs.push(Input::File {
                    path,
                    explicit: true,
                });
            }
            continue;
        }
        let mut found = Vec::new();
        let walker = ignore::WalkBuilder::new(&path)
            .hidden(true)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if is_manifest_name(e.path()) {
                        found.push(e.into_path());
                    } else {
                        skipped += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(p) = error_path(&e) {
                        failed.push(p);
                    }
                }
            }
        }
        found.sort();
        for path in found {
            if seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())) {
                inputs.push(Input::File {
                    path,
                    explicit: false,
                });
            }
        }
    }
    (inputs, skipped, failed)
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
