//! The pipeline for one file: load → parse → detect kind → validate shape → evaluate rules.

use crate::builtin;
use crate::config::ExportedRecords;
use crate::diagnostic::{fill, fill_shared, Diagnostic, Label, Severity};
use crate::document::{self, Document, LoadError, ParseLimits, Tree};
use crate::kind::{self, Detection, Kind, Unit};
use crate::project::Root;
use crate::rules::functions::{display, Ctx, Finding, Target};
use crate::rules::plan::{Plan, Planned, Shared};
use crate::rules::{Condition, Rule, RuleSet};
use crate::schema;
use crate::source::{Read, SourceFile, Span};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The day rules, tables and date windows are evaluated for.
    pub as_of: Date,
    pub limits: ParseLimits,
    /// References between manifests (a campaign's account) must stay inside it.
    pub root: Root,
    /// How the review rules' errors on exported records Meta approved are reported.
    pub exported_records: ExportedRecords,
}

impl Options {
    /// Default limits, and the project root of the working directory.
    pub fn new(as_of: Date) -> Options {
        let cwd = std::env::current_dir().unwrap_or_default();
        Options {
            as_of,
            limits: ParseLimits::default(),
            root: Root::discover(&cwd),
            exported_records: ExportedRecords::default(),
        }
    }
}

/// The result for one input file.
#[derive(Debug)]
pub struct FileReport {
    pub file: Arc<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the file held at least one manifest.
    pub recognized: bool,
    /// What the file contributes to checks across files (see [`Engine::finish`]).
    pub records: Vec<crate::crossfile::CrossRecord>,
    /// Once settled: the counts of its findings, how many are not shown, its suppression
    /// comments.
    pub tally: crate::suppress::Tally,
}

impl FileReport {
    /// The report of a file with nothing found yet.
    pub fn of(file: Arc<SourceFile>) -> FileReport {
        FileReport {
            file,
            diagnostics: Vec::new(),
            recognized: false,
            records: Vec::new(),
            tally: Default::default(),
        }
    }

    /// Drops the file's text when nothing points into it, or, when no report quotes source
    /// lines (`quote` false), once the positions of its findings are worked out: a run over
    /// many files keeps only what it reports.
    pub fn shrink(&mut self, quote: bool) {
        if !self.file.text().is_empty() {
            if self.diagnostics.is_empty() {
                self.file = Arc::new(SourceFile::named(self.file.name()));
            } else if !quote {
                self.keep_positions_only();
            }
        }
        self.records.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
    }

    /// Whether nothing of the file is left for later but its records for checks across files:
    /// no finding and no suppression comment (its text dropped by [`FileReport::shrink`]).
    pub fn is_settled(&self) -> bool {
        self.diagnostics.is_empty() && self.tally.is_empty() && self.file.text().is_empty()
    }

    fn keep_positions_only(&mut self) {
        let ours = Arc::clone(&self.file);
        let here = |file: &Arc<SourceFile>| Arc::ptr_eq(file, &ours);
        let spans = self.diagnostics.iter().flat_map(|d| {
            let labels = d.related.iter().filter(|l| here(&l.file)).map(|l| l.span);
            (here(&d.file).then_some(d.span).into_iter()).chain(labels)
        });
        // Offset 0 too: a note about `max_diagnostics` may be added there after checks across
        // files.
        let offsets = spans.flat_map(|s| [s.start, s.end]).chain([0]);
        let Some(kept) = ours.positions_only(offsets) else {
            return;
        };
        let kept = Arc::new(kept);
        for d in &mut self.diagnostics {
            if here(&d.file) {
                d.file = Arc::clone(&kept);
            }
            for l in d.related.iter_mut().filter(|l| here(&l.file)) {
                l.file = Arc::clone(&kept);
            }
        }
        self.file = kept;
    }
}

/// A rule set ready to check files.
pub struct Engine {
    rules: RuleSet,
    /// The rules of each kind, their shared guards found once.
    plan: Plan,
    options: Options,
    references: Mutex<HashMap<PathBuf, Result<Value, String>>>,
}

impl Engine {
    pub fn new(rules: RuleSet, options: Options) -> Engine {
        Engine {
            plan: Plan::new(&rules, options.as_of),
            rules,
            options,
            references: Mutex::new(HashMap::new()),
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reads and checks a file. `explicit` files that are not manifests get a warning.
    /// The path is shared with what the file records for checks across files.
    pub fn check_path(&self, path: &Arc<Path>, explicit: bool) -> FileReport {
        let name = crate::source::shown_path(path);
        match crate::source::read_regular(path, self.options.limits.max_file_size) {
            Ok(Read::Bytes(bytes)) => self.check_bytes(&name, Some(path), bytes, explicit),
            Ok(Read::TooLarge(size)) => {
                self.too_large(&name, usize::try_from(size).unwrap_or(usize::MAX))
            }
            Err(e) => {
                let message = format!("cannot read `{name}`: {}", crate::source::io_reason(&e));
                let file = Arc::new(SourceFile::new(name, ""));
                let mut report = FileReport::of(file);
                self.push_builtin(
                    &mut report,
                    None,
                    builtin::UNREADABLE,
                    "",
                    Span::default(),
                    message,
                    None,
                );
                report
            }
        }
    }

    /// Checks bytes read from `path` (or stdin, shown as `name`).
    pub fn check_bytes(
        &self,
        name: &str,
        path: Option<&Arc<Path>>,
        bytes: Vec<u8>,
        explicit: bool,
    ) -> FileReport {
        if bytes.len() > self.options.limits.max_file_size {
            return self.too_large(name, bytes.len());
        }
        // Byte-order marks of UTF-16/32 are never valid UTF-8, so valid text needs no copy.
        let lossy = std::str::from_utf8(&bytes)
            .is_err()
            .then(|| String::from_utf8_lossy(&bytes).into_owned());
        match document::decode(bytes) {
            Ok(text) => self.check_source(Arc::new(SourceFile::new(name, text)), path, explicit),
            Err(e) => {
                // Up to the first bad byte the lossy text has the same offsets as the file.
                let file = Arc::new(SourceFile::new(name, lossy.unwrap_or_default()));
                let mut report = FileReport::of(file);
                let (message, offset) = match e {
                    LoadError::Encoding { message, offset } => (message, offset),
                    LoadError::Syntax(p) => (p.message, None),
                };
                let span = offset.map(|o| Span::new(o, o)).unwrap_or_default();
                self.push_builtin(
                    &mut report,
                    None,
                    builtin::ENCODING,
                    "",
                    span,
                    message,
                    None,
                );
                report
            }
        }
    }

    fn too_large(&self, name: &str, size: usize) -> FileReport {
        let file = Arc::new(SourceFile::new(name, ""));
        let mut report = FileReport::of(file);
        report.recognized = true;
        let mb = |n: usize| match n {
            0..1024 => format!("{n} bytes"),
            1024..1_048_576 => format!("{:.1} KB", n as f64 / 1024.0),
            _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
        };
        let message = if size > self.options.limits.max_file_size + 1 {
            format!(
                "the file is {}, more than the {} wabalint reads (limit `max_file_size`); it was not checked",
                mb(size),
                mb(self.options.limits.max_file_size)
            )
        } else {
            format!(
                "the input is larger than the {} wabalint reads (limit `max_file_size`); it was not checked",
                mb(self.options.limits.max_file_size)
            )
        };
        self.push_builtin(
            &mut report,
            None,
            builtin::LIMIT,
            "",
            Span::default(),
            message,
            None,
        );
        report
    }

    /// Checks an already-decoded source.
    pub fn check_source(
        &self,
        file: Arc<SourceFile>,
        path: Option<&Arc<Path>>,
        explicit: bool,
    ) -> FileReport {
        let mut report = FileReport::of(Arc::clone(&file));
        let doc = match document::parse(Arc::clone(&file), &self.options.limits) {
            Ok(doc) => doc,
            Err(LoadError::Syntax(e)) => {
                let span = e.span.unwrap_or_default();
                let code = if e.limit {
                    builtin::LIMIT
                } else {
                    builtin::SYNTAX
                };
                self.push_builtin(&mut report, None, code, "", span, e.message, None);
                if let (Some((first, label)), Some(d)) = (e.related, report.diagnostics.last_mut())
                {
                    d.related.push(Label {
                        file: Arc::clone(&file),
                        span: first,
                        message: label,
                    });
                }
                report.recognized = true;
                return report;
            }
            Err(LoadError::Encoding { message, .. }) => {
                self.push_builtin(
                    &mut report,
                    None,
                    builtin::ENCODING,
                    "",
                    Span::default(),
                    message,
                    None,
                );
                return report;
            }
        };
        if doc.trees.is_empty() || doc.trees.iter().all(|t| t.value.is_null()) {
            if explicit {
                let message = "the file is empty: it holds no YAML or JSON document".to_string();
                self.push_builtin(
                    &mut report,
                    None,
                    builtin::EMPTY,
                    "",
                    Span::default(),
                    message,
                    None,
                );
            }
            return report;
        }
        self.check_document(doc, path, explicit, &mut report);
        report
    }

    fn check_document(
        &self,
        doc: Document,
        path: Option<&Arc<Path>>,
        explicit: bool,
        report: &mut FileReport,
    ) {
        for (index, mut tree) in doc.trees.into_iter().enumerate() {
            let units = match kind::detect(index, &tree.value) {
                Detection::Units(units) => units,
                Detection::UnknownKind(found) => {
                    report.recognized = true;
                    let span = tree.locate("/kind", false);
                    let message = format!("`kind: {found}` is not a manifest kind wabalint knows");
                    let known = Kind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .filter(|k| *k != "template");
                    let help = crate::suggest::did_you_mean(&found, known)
                        .map(|s| format!("did you mean `{s}`?"));
                    self.push_builtin(
                        report,
                        Some(&tree),
                        builtin::UNKNOWN_KIND,
                        "/kind",
                        span,
                        message,
                        help,
                    );
                    continue;
                }
                Detection::Unrecognized => {
                    if explicit {
                        let message = "this is not a WhatsApp template, phone-number, account or campaign manifest".to_string();
                        self.push_builtin(
                            report,
                            Some(&tree),
                            builtin::UNRECOGNIZED,
                            "",
                            Span::default(),
                            message,
                            None,
                        );
                    }
                    continue;
                }
            };
            report.recognized = true;
            for pointer in &tree.inexact {
                let span = tree.locate(pointer, false);
                let read = document::resolve(&tree.value, pointer)
                    .map(display)
                    .unwrap_or_default();
                let message = format!(
                    "`{}` does not fit in a 64-bit integer: it is read as {read}, which loses precision",
                    report.file.slice(span)
                );
                self.push_builtin(
                    report,
                    Some(&tree),
                    builtin::NUMBER_RANGE,
                    pointer,
                    span,
                    message,
                    None,
                );
            }
            for unit in &units {
                if unit.kind == Kind::Template {
                    if let Some(v) = tree.value.pointer_mut(&unit.root) {
                        kind::normalize_template(v);
                    }
                }
            }
            for unit in &units {
                self.check_unit(&mut tree, unit, path, report);
            }
        }
    }

    fn check_unit(
        &self,
        tree: &mut Tree,
        unit: &Unit,
        path: Option<&Arc<Path>>,
        report: &mut FileReport,
    ) {
        let Some(value) = tree.value.pointer(&unit.root) else {
            return;
        };
        for e in schema::validate(unit.kind, value) {
            let pointer = format!("{}{}", unit.root, e.pointer);
            let span = tree.locate(&pointer, e.at_key);
            let message = match (e.code, document::resolve(value, &e.pointer)) {
                (builtin::WRONG_TYPE, Some(Value::Number(n))) => {
                    let written = report.file.slice(span);
                    let read = match n.as_f64() {
                        Some(f) if f.fract() == 0.0 && f.abs() < 1e18 => format!("{}", f as i64),
                        _ => n.to_string(),
                    };
                    if written.is_empty() || written == read {
                        e.message
                    } else {
                        format!(
                            "{} (YAML reads `{written}` as the number {read})",
                            e.message
                        )
                    }
                }
                _ => e.message,
            };
            let before = report.diagnostics.len();
            self.push_builtin(report, Some(tree), e.code, &pointer, span, message, e.help);
            // What Meta added since the rule set was written is told, not refused.
            if e.unknown_to_rules {
                for d in &mut report.diagnostics[before..] {
                    d.severity = d.severity.min(crate::diagnostic::Severity::Warning);
                }
            }
        }
        let mut approved = None;
        match unit.kind {
            Kind::Campaign => self.resolve_account(tree, unit, path.map(|p| &**p), report),
            Kind::Account => self.confine_phone_numbers(tree, unit, path.map(|p| &**p), report),
            Kind::Template => approved = self.mark_exported(tree, unit),
            _ => {}
        }
        crate::rules::selector::budget::start(self.options.limits.max_selector_steps);
        let before = report.diagnostics.len();
        self.evaluate_unit(tree, unit, path, report);
        if let Some(status) = approved {
            self.soften(&mut report.diagnostics[before..], &status);
        }
        if let Some(selector) = crate::rules::selector::budget::finish() {
            let message = format!(
                "checking this {} took more than {} selector steps (limit `max_selector_steps`), the last in `{}`; it was not fully checked",
                unit.kind,
                self.options.limits.max_selector_steps,
                crate::render::escape_controls(&selector, &[])
            );
            let help = Some("a rule file asks for more of this manifest than wabalint walks: simplify the rule's selector, or raise the limit".to_string());
            let span = tree.locate(&unit.root, false);
            self.push_builtin(
                report,
                Some(tree),
                builtin::LIMIT,
                &unit.root,
                span,
                message,
                help,
            );
        }
    }

    /// Tells the rules whether a template is an exported record Meta accepted
    /// (`$.computed.accepted`, which creation-only rules test) and whether Meta changed its
    /// category (`$.computed.category_changed`), and returns its status when
    /// the errors of review rules are to be shown as warnings.
    fn mark_exported(&self, tree: &mut Tree, unit: &Unit) -> Option<String> {
        let exported = kind::exported(tree.value.pointer(&unit.root)?, &unit.root)?;
        if let Some(Value::Object(template)) = tree.value.pointer_mut(&unit.root) {
            let changed = match (template.get("previous_category"), template.get("category")) {
                (Some(Value::String(before)), Some(Value::String(now))) => {
                    !before.eq_ignore_ascii_case(now)
                }
                _ => false,
            };
            let computed = template
                .entry("computed")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Value::Object(computed) = computed {
                if exported.accepted() {
                    computed.insert("accepted".into(), Value::Bool(true));
                }
                if changed {
                    computed.insert("category_changed".into(), Value::Bool(true));
                }
            }
        }
        let soften =
            exported.approved() && self.options.exported_records == ExportedRecords::Warning;
        soften.then_some(exported.status)
    }

    /// The errors of review rules on a record Meta approved, as warnings that say so.
    fn soften(&self, diagnostics: &mut [Diagnostic], status: &str) {
        for d in diagnostics
            .iter_mut()
            .filter(|d| d.severity == Severity::Error)
        {
            if !self.rules.rule(d.rule()).is_some_and(|r| r.review) {
                continue;
            }
            d.severity = Severity::Warning;
            d.message = format!(
                "{} (the exported record is {status}: Meta accepted it, and would refuse it only if it were submitted again today)",
                d.message
            )
            .into();
        }
    }

    /// Runs the planned rules on a unit, and records what it contributes to checks across
    /// files.
    fn evaluate_unit(
        &self,
        tree: &Tree,
        unit: &Unit,
        path: Option<&Arc<Path>>,
        report: &mut FileReport,
    ) {
        let Some(value) = tree.value.pointer(&unit.root) else {
            return;
        };
        let ctx = Ctx::new(self.options.as_of, &self.rules.tables, value);
        let mut shared = self.plan.shared();
        // One list for all rules: a template meets about a hundred, and most find nothing.
        let mut findings = Vec::new();
        for planned in self.plan.rules(unit.kind) {
            evaluate_planned(
                &self.plan,
                &self.rules,
                planned,
                &ctx,
                &mut shared,
                &mut findings,
            );
            if findings.is_empty() {
                continue;
            }
            let rule = &self.rules.rules[planned.rule];
            for f in findings.drain(..) {
                let d = self.rule_diagnostic(rule, tree, &report.file, unit, value, f);
                report.diagnostics.push(d);
            }
        }
        let applies = |rule: &Rule| {
            rule.when
                .iter()
                .all(|c| condition_holds(c, &ctx, Some(value)))
        };
        let records = crate::crossfile::collect(
            &self.rules,
            self.plan.across(),
            tree,
            &report.file,
            path,
            unit,
            applies,
        );
        report.records.extend(records);
    }

    /// Matches what all files of a run recorded and reports the checks across files, each in
    /// the file it is about.
    pub fn finish<'r>(
        &self,
        records: impl Iterator<Item = &'r crate::crossfile::CrossRecord> + Clone,
    ) -> Vec<Diagnostic> {
        crate::crossfile::finish(
            &self.rules,
            self.options.as_of,
            records,
            &self.options.limits,
            &|origin| self.reread(origin),
            &|origin| {
                origin
                    .path
                    .as_ref()
                    .is_none_or(|p| self.options.root.contains(p))
            },
        )
    }

    /// The file of a unit recorded earlier, read again; `None` if it no longer reads.
    fn reread(&self, origin: &crate::crossfile::Origin) -> Option<Arc<SourceFile>> {
        match (&origin.source, &origin.path) {
            (Some(source), _) => Some(Arc::clone(source)),
            (None, Some(path)) => self.read_text(path, &origin.name()).ok(),
            (None, None) => None,
        }
    }

    /// Loads the account a campaign names and puts it under `/resolved/account` for the rules.
    /// The account must be inside the project root: a campaign in a pull request could name
    /// any file of the machine, and its text would show in messages.
    fn resolve_account(
        &self,
        tree: &mut Tree,
        unit: &Unit,
        path: Option<&Path>,
        report: &mut FileReport,
    ) {
        let pointer = format!("{}/account", unit.root);
        let Some(reference) = tree
            .value
            .pointer(&pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let base = path.and_then(Path::parent).unwrap_or(Path::new("."));
        let root = &self.options.root;
        let loaded = match root.resolve(base, &reference) {
            Ok(target) => {
                let mut cache = self.references.lock().unwrap_or_else(|e| e.into_inner());
                let loaded = cache
                    .entry(target.clone())
                    .or_insert_with(|| self.load_account(&target))
                    .clone();
                loaded.map_err(|reason| {
                    (
                        format!("the campaign's account `{reference}` cannot be used: {reason}"),
                        format!(
                            "the path is resolved relative to the campaign file: {}",
                            crate::source::shown_path(&target)
                        ),
                    )
                })
            }
            Err(_) => Err((
                format!("the campaign's account {}", root.refusal(&reference)),
                root.refusal_help(),
            )),
        };
        match loaded {
            Ok(account) => {
                if let Some(Value::Object(campaign)) = tree.value.pointer_mut(&unit.root) {
                    let mut resolved = serde_json::Map::new();
                    resolved.insert("account".into(), account);
                    campaign
                        .entry("resolved")
                        .or_insert(Value::Object(resolved));
                }
            }
            Err((message, help)) => {
                let span = tree.locate(&pointer, false);
                let code = builtin::REFERENCE;
                self.push_builtin(
                    report,
                    Some(tree),
                    code,
                    &pointer,
                    span,
                    message,
                    Some(help),
                );
            }
        }
    }

    /// An account's phone numbers given as paths must lead inside the project root too.
    fn confine_phone_numbers(
        &self,
        tree: &Tree,
        unit: &Unit,
        path: Option<&Path>,
        report: &mut FileReport,
    ) {
        let base = path.and_then(Path::parent).unwrap_or(Path::new("."));
        let root = &self.options.root;
        let Some(numbers) = tree
            .value
            .pointer(&format!("{}/phone_numbers", unit.root))
            .and_then(Value::as_array)
        else {
            return;
        };
        for (i, reference) in numbers.iter().enumerate() {
            let Some(reference) = reference.as_str() else {
                continue;
            };
            if root.resolve(base, reference).is_err() {
                let pointer = format!("{}/phone_numbers/{i}", unit.root);
                let span = tree.locate(&pointer, false);
                let message = format!("the phone number {}", root.refusal(reference));
                let help = Some(root.refusal_help());
                let code = builtin::REFERENCE;
                self.push_builtin(report, Some(tree), code, &pointer, span, message, help);
            }
        }
    }

    /// A file read again after the run's first pass (a campaign's account, a counterpart of a
    /// check across files), as `name`; why not, as a phrase.
    fn read_text(&self, path: &Path, name: &str) -> Result<Arc<SourceFile>, String> {
        let bytes = crate::source::read_file(path, self.options.limits.max_file_size)
            .map_err(|e| crate::source::io_reason(&e))?;
        let text = document::decode(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        Ok(Arc::new(SourceFile::new(name, text)))
    }

    fn load_account(&self, path: &Path) -> Result<Value, String> {
        let source = self.read_text(path, &crate::source::shown_path(path))?;
        let mut doc = document::parse(source, &self.options.limits)
            .map_err(|_| "it is not valid YAML or JSON".to_string())?;
        let tree = doc.trees.drain(..).next().ok_or("it is empty")?;
        match kind::detect(0, &tree.value) {
            Detection::Units(units) if units.first().is_some_and(|u| u.kind == Kind::Account) => {
                Ok(tree.value)
            }
            _ => Err("it is not an account manifest (`kind: account`)".into()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_builtin(
        &self,
        report: &mut FileReport,
        tree: Option<&Tree>,
        code: &str,
        pointer: &str,
        span: Span,
        message: String,
        help: Option<String>,
    ) {
        let Some(severity) = self.rules.builtin_level(code) else {
            return;
        };
        let help = help.or_else(|| builtin::find(code).map(|c| c.help.to_string()));
        let related = tree
            .map(|t| alias_labels(t, &report.file, pointer))
            .unwrap_or_default();
        report.diagnostics.push(Diagnostic {
            about: crate::diagnostic::About::new(code, "here"),
            severity,
            message: message.into(),
            help: help.map(Arc::from),
            file: Arc::clone(&report.file),
            pointer: pointer.into(),
            span,
            related,
        });
    }

    fn rule_diagnostic(
        &self,
        rule: &Rule,
        tree: &Tree,
        file: &Arc<SourceFile>,
        unit: &Unit,
        value: &Value,
        f: Finding,
    ) -> Diagnostic {
        let pointer = format!("{}{}", unit.root, f.pointer);
        let node = document::resolve(value, &f.pointer);
        let mut span = tree.locate(&pointer, f.at_key);
        if let (Some((start, end)), Some(Value::String(s))) = (f.within, node) {
            let indent = file.position(span.start).column.saturating_sub(1);
            span = document::sub_span(file.slice(span), span.start, indent, s, start, end)
                .unwrap_or(span);
        }
        let mut args: Vec<(&str, String)> = vec![
            ("value", as_written(file.slice(span), node)),
            ("property", document::pointer_last(&f.pointer)),
            ("path", pointer.clone()),
        ];
        args.extend(f.args.iter().map(|(k, v)| (*k, v.clone())));
        let mut related: Vec<Label> = f
            .related
            .iter()
            .map(|(p, label)| Label {
                file: Arc::clone(file),
                span: tree.locate(&format!("{}{p}", unit.root), false),
                message: label.clone(),
            })
            .collect();
        related.extend(alias_labels(tree, file, &pointer));
        Diagnostic {
            about: Arc::clone(rule.about()),
            severity: rule.severity,
            message: fill(&rule.message, &args).into(),
            help: rule.help.as_ref().map(|h| fill_shared(h, &args)),
            file: Arc::clone(file),
            pointer: pointer.into(),
            span,
            related,
        }
    }
}

/// Runs a rule on one unit: select, filter by conditions, check.
pub fn evaluate<'a>(rule: &Rule, ctx: &Ctx<'a>, out: &mut Vec<Finding>) {
    let selected = ctx.select(&rule.given, Some(ctx.unit));
    evaluate_on(rule, rule.when.iter(), ctx, &selected, out);
}

/// [`evaluate`] for a rule of a plan: nothing when one of its unit guards fails, its other
/// conditions at each node; guard answers and selections are shared through `shared`.
fn evaluate_planned<'a>(
    plan: &Plan,
    rules: &RuleSet,
    planned: &Planned,
    ctx: &Ctx<'a>,
    shared: &mut Shared<'a>,
    out: &mut Vec<Finding>,
) {
    let unit = Some(ctx.unit);
    if !shared.all_hold(plan, rules, planned, |c| condition_holds(c, ctx, unit)) {
        return;
    }
    let rule = &rules.rules[planned.rule];
    let selected = shared.selected(planned, || ctx.select_kept(&rule.given));
    let conditions = planned.node_conditions(rule);
    if !planned.check_first {
        return evaluate_on(rule, conditions, ctx, selected, out);
    }
    // The same findings as `evaluate_on`: both the check and the conditions only read the unit.
    for &node in selected {
        let before = out.len();
        rule.check.run(ctx, &target_of(rule, node), out);
        if out.len() > before
            && !conditions
                .clone()
                .all(|c| condition_holds(c, ctx, Some(node)))
        {
            out.truncate(before);
        }
    }
}

/// What a rule checks at a selected node: the node, or its `field`.
fn target_of<'a, 'r>(rule: &'r Rule, node: &'a Value) -> Target<'a, 'r> {
    match &rule.field {
        Some(field) => Target::member(node, field),
        None => Target::node(node),
    }
}

/// Runs a rule on nodes its `given` already selected, where `conditions` hold.
fn evaluate_on<'r, 'a>(
    rule: &Rule,
    conditions: impl Iterator<Item = &'r Condition> + Clone,
    ctx: &Ctx<'a>,
    selected: &[&'a Value],
    out: &mut Vec<Finding>,
) {
    for &node in selected {
        if !conditions
            .clone()
            .all(|c| condition_holds(c, ctx, Some(node)))
        {
            continue;
        }
        rule.check.run(ctx, &target_of(rule, node), out);
    }
}

/// A condition holds when its path selects something and the function passes on all of it;
/// a missing node passes only `absent`.
fn condition_holds<'a>(c: &Condition, ctx: &Ctx<'a>, node: Option<&'a Value>) -> bool {
    let targets = ctx.select(&c.path, node);
    let explain = ctx.explain.replace(false);
    let holds = if targets.is_empty() {
        matches!(c.check, crate::rules::functions::Check::Absent(_))
    } else {
        targets.iter().all(|&value| c.check.passes(ctx, value))
    };
    ctx.explain.set(explain);
    holds != c.negate
}

/// The value for messages, spelled as in the file when only its case was normalised.
fn as_written(raw: &str, node: Option<&Value>) -> String {
    match node {
        Some(Value::String(s)) => {
            let unquoted = raw.trim_matches(|c| c == '"' || c == '\'');
            if unquoted != s && unquoted.eq_ignore_ascii_case(s) {
                unquoted.to_string()
            } else {
                display(&Value::String(s.clone()))
            }
        }
        Some(v) => display(v),
        None => String::new(),
    }
}

fn alias_labels(tree: &Tree, file: &Arc<SourceFile>, pointer: &str) -> Vec<Label> {
    tree.node_span(pointer)
        .and_then(|s| s.defined)
        .map(|defined| Label {
            file: Arc::clone(file),
            span: defined,
            message: "value defined here (through an alias or merge key)".into(),
        })
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                fixture_files(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) && entry.metadata().is_ok_and(|m| m.len() < 100_000)
            {
                out.push(path);
            }
        }
    }

    /// On every unit of every fixture, a planned rule (its unit guards answered once and
    /// shared) finds what the rule evaluated on its own, with a fresh context, finds.
    #[test]
    fn a_plan_finds_what_each_rule_finds_alone() {
        let as_of: Date = "2026-11-26".parse().unwrap();
        let mut files = Vec::new();
        fixture_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut files,
        );
        files.sort();
        let mut compared = 0;
        let mut found = 0;
        for profile in ["meta", "genesys"] {
            let rules = crate::rules::load_profile(profile).unwrap();
            let plan = Plan::new(&rules, as_of);
            for path in &files {
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                let source = Arc::new(SourceFile::new(path.display().to_string(), text));
                let Ok(doc) = document::parse(source, &ParseLimits::default()) else {
                    continue;
                };
                for (index, mut tree) in doc.trees.into_iter().enumerate() {
                    let Detection::Units(units) = kind::detect(index, &tree.value) else {
                        continue;
                    };
                    for unit in units.iter().filter(|u| u.kind == Kind::Template) {
                        if let Some(v) = tree.value.pointer_mut(&unit.root) {
                            kind::normalize_template(v);
                        }
                    }
                    for unit in &units {
                        let Some(value) = tree.value.pointer(&unit.root) else {
                            continue;
                        };
                        let ctx = Ctx::new(as_of, &rules.tables, value);
                        let mut shared = plan.shared();
                        for planned in plan.rules(unit.kind) {
                            let rule = &rules.rules[planned.rule];
                            let mut planned_findings = Vec::new();
                            evaluate_planned(
                                &plan,
                                &rules,
                                planned,
                                &ctx,
                                &mut shared,
                                &mut planned_findings,
                            );
                            let alone = Ctx::new(as_of, &rules.tables, value);
                            let mut findings = Vec::new();
                            evaluate(rule, &alone, &mut findings);
                            assert_eq!(
                                format!("{planned_findings:?}"),
                                format!("{findings:?}"),
                                "{} in {}",
                                rule.id,
                                path.display()
                            );
                            compared += 1;
                            found += findings.len();
                        }
                    }
                }
            }
        }
        assert!(
            compared > 10_000 && found > 500,
            "{compared} evaluations, {found} findings"
        );
    }
}
