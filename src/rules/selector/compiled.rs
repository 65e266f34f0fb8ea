//! The JSONPath subset rules use, parsed strictly by RFC 9535 (anything else is left to the
//! reference implementation) and evaluated with one pointer buffer for the whole walk.

use super::Nodes;
use crate::document::{member, pointer_push};
use crate::rules::regex::LazyRegex;
use serde_json::{Number, Value};

#[derive(Debug, Clone)]
pub struct Query {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
struct Segment {
    descendant: bool,
    selectors: Vec<Sel>,
}

#[derive(Debug, Clone)]
enum Sel {
    Name(String),
    Index(i64),
    Wildcard,
    Filter(Or),
}

#[derive(Debug, Clone)]
struct Or(Vec<And>);

#[derive(Debug, Clone)]
struct And(Vec<Basic>);

#[derive(Debug, Clone)]
enum Basic {
    Paren {
        negate: bool,
        expr: Or,
    },
    Exists {
        negate: bool,
        query: Singular,
    },
    Compare(Operand, Op, Operand),
    /// `match(@…, 'regex')` or `search(@…, 'regex')`, the regex compiled once per run.
    Regex {
        negate: bool,
        query: Singular,
        regex: std::sync::Arc<IRegexp>,
    },
}

/// An I-Regexp (RFC 9485) as the reference implementation turns it into a `regex`: anchored
/// for `match`, not for `search`; one that does not compile matches nothing. Built like a
/// rule's regular expressions, within the same size limits.
#[derive(Debug)]
struct IRegexp(LazyRegex);

impl IRegexp {
    fn new(pattern: &str, whole: bool) -> IRegexp {
        IRegexp(LazyRegex::new(if whole {
            format!("(?R)^({pattern})$")
        } else {
            format!("(?R)({pattern})")
        }))
    }

    fn is_match(&self, value: Option<&Value>) -> bool {
        let Some(Value::String(s)) = value else {
            return false;
        };
        self.0.is_match(s)
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
enum Operand {
    Literal(Value),
    Query(Singular),
}

/// `@` or `$` followed by names and indices: at most one node.
#[derive(Debug, Clone)]
struct Singular {
    from_root: bool,
    steps: Vec<Step>,
}

#[derive(Debug, Clone)]
enum Step {
    Name(String),
    Index(i64),
}

/// Parses a `$…` query, or `None` when it is outside the subset (or not valid JSONPath).
pub fn parse(text: &str) -> Option<Query> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        text,
    };
    p.eat(b'$').then_some(())?;
    let mut segments = Vec::new();
    loop {
        p.blank();
        if p.at_end() {
            return Some(Query { segments });
        }
        segments.push(p.segment()?);
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.i += usize::from(hit);
        hit
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let hit = self.s[self.i..].starts_with(s.as_bytes());
        if hit {
            self.i += s.len();
        }
        hit
    }

    /// Whether the next byte is one of `bytes`.
    fn at_any(&self, bytes: &[u8]) -> bool {
        self.peek().is_some_and(|b| bytes.contains(&b))
    }

    /// Blank space, then `b`.
    fn blank_then(&mut self, b: u8) -> Option<()> {
        self.blank();
        self.eat(b).then_some(())
    }

    /// RFC 9535 blank space: space, tab, line feed, carriage return.
    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn segment(&mut self) -> Option<Segment> {
        if self.eat_str("..") {
            let selectors = match self.peek()? {
                b'[' => self.bracketed()?,
                b'*' => {
                    self.i += 1;
                    vec![Sel::Wildcard]
                }
                _ => vec![Sel::Name(self.shorthand()?)],
            };
            return Some(Segment {
                descendant: true,
                selectors,
            });
        }
        let selectors = if self.eat(b'.') {
            if self.eat(b'*') {
                vec![Sel::Wildcard]
            } else {
                vec![Sel::Name(self.shorthand()?)]
            }
        } else {
            self.bracketed()?
        };
        Some(Segment {
            descendant: false,
            selectors,
        })
    }

    /// A member name shorthand; names with non-ASCII letters are left to the reference.
    fn shorthand(&mut self) -> Option<String> {
        let start = self.i;
        if !matches!(self.peek()?, b'a'..=b'z' | b'A'..=b'Z' | b'_') {
            return None;
        }
        while matches!(
            self.peek(),
            Some(b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9')
        ) {
            self.i += 1;
        }
        if self.peek().is_some_and(|b| b >= 0x80) {
            return None;
        }
        Some(self.text[start..self.i].to_string())
    }

    fn bracketed(&mut self) -> Option<Vec<Sel>> {
        self.eat(b'[').then_some(())?;
        let mut selectors = Vec::new();
        loop {
            self.blank();
            selectors.push(self.selector()?);
            self.blank();
            if self.eat(b']') {
                return Some(selectors);
            }
            self.eat(b',').then_some(())?;
        }
    }

    fn selector(&mut self) -> Option<Sel> {
        match self.peek()? {
            b'*' => {
                self.i += 1;
                Some(Sel::Wildcard)
            }
            b'\'' | b'"' => Some(Sel::Name(self.string()?)),
            b'?' => {
                self.i += 1;
                self.blank();
                Some(Sel::Filter(self.or()?))
            }
            _ => Some(Sel::Index(self.index()?)),
        }
    }

    /// An index: `0`, `-1`, `12`; no leading zeros, no `-0`; slices are left to the reference.
    fn index(&mut self) -> Option<i64> {
        let start = self.i;
        self.eat(b'-');
        let digits = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let text = &self.text[digits..self.i];
        let valid = !text.is_empty()
            && text.len() <= 15
            && (text == "0" && digits == start || !text.starts_with('0'));
        if !valid {
            return None;
        }
        self.text[start..self.i].parse().ok()
    }

    /// A quoted string with JSON-like escapes (`\'` only in single quotes, `\"` only in double).
    fn string(&mut self) -> Option<String> {
        let quote = self.peek()?;
        self.i += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.i..];
            let c = rest.chars().next()?;
            self.i += c.len_utf8();
            match c {
                _ if c as u32 == u32::from(quote) => return Some(out),
                '\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    out.push(match e {
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'/' => '/',
                        b'\\' => '\\',
                        _ if e == quote => e as char,
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                c if (c as u32) < 0x20 => return None,
                c => out.push(c),
            }
        }
    }

    /// `\uXXXX` outside the surrogate range (pairs are left to the reference).
    fn unicode_escape(&mut self) -> Option<char> {
        let hex = self.text.get(self.i..self.i + 4)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)
    }

    fn or(&mut self) -> Option<Or> {
        let mut ands = vec![self.and()?];
        loop {
            self.blank();
            if !self.eat_str("||") {
                return Some(Or(ands));
            }
            self.blank();
            ands.push(self.and()?);
        }
    }

    fn and(&mut self) -> Option<And> {
        let mut basics = vec![self.basic()?];
        loop {
            let save = self.i;
            self.blank();
            if !self.eat_str("&&") {
                self.i = save;
                return Some(And(basics));
            }
            self.blank();
            basics.push(self.basic()?);
        }
    }

    fn basic(&mut self) -> Option<Basic> {
        let negate = self.eat(b'!');
        if negate {
            self.blank();
        }
        if self.eat(b'(') {
            self.blank();
            let expr = self.or()?;
            self.blank();
            self.eat(b')').then_some(())?;
            return Some(Basic::Paren { negate, expr });
        }
        if let Some(whole) = self.regex_function() {
            return self.regex_arguments(negate, whole);
        }
        let left = self.operand()?;
        let save = self.i;
        self.blank();
        let Some(op) = self.op() else {
            self.i = save;
            return match left {
                Operand::Query(query) => Some(Basic::Exists { negate, query }),
                Operand::Literal(_) => None,
            };
        };
        if negate {
            return None;
        }
        self.blank();
        let right = self.operand()?;
        Some(Basic::Compare(left, op, right))
    }

    /// `match(` or `search(`: whether the regex must match the whole value.
    fn regex_function(&mut self) -> Option<bool> {
        if self.eat_str("match(") {
            Some(true)
        } else if self.eat_str("search(") {
            Some(false)
        } else {
            None
        }
    }

    /// A singular query and a string literal, then `)`; other arguments (and a function result
    /// compared with something) are left to the reference.
    fn regex_arguments(&mut self, negate: bool, whole: bool) -> Option<Basic> {
        self.blank();
        let query = self.at_any(b"@$").then(|| self.singular())??;
        self.blank_then(b',')?;
        self.blank();
        let pattern = self.at_any(b"'\"").then(|| self.string())??;
        self.blank_then(b')')?;
        let save = self.i;
        self.blank();
        if self.op().is_some() {
            return None;
        }
        self.i = save;
        Some(Basic::Regex {
            negate,
            query,
            regex: std::sync::Arc::new(IRegexp::new(&pattern, whole)),
        })
    }

    fn op(&mut self) -> Option<Op> {
        for (text, op) in [
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if self.eat_str(text) {
                return Some(op);
            }
        }
        None
    }

    fn operand(&mut self) -> Option<Operand> {
        match self.peek()? {
            b'@' | b'$' => Some(Operand::Query(self.singular()?)),
            b'\'' | b'"' => Some(Operand::Literal(Value::String(self.string()?))),
            b't' if self.eat_str("true") => Some(Operand::Literal(Value::Bool(true))),
            b'f' if self.eat_str("false") => Some(Operand::Literal(Value::Bool(false))),
            b'n' if self.eat_str("null") => Some(Operand::Literal(Value::Null)),
            b'-' | b'0'..=b'9' => Some(Operand::Literal(Value::Number(self.number()?))),
            _ => None,
        }
    }

    /// A JSON number; the text after it must not continue a name (`1a` is not a literal).
    fn number(&mut self) -> Option<Number> {
        let start = self.i;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.i += 1;
        }
        let text = &self.text[start..self.i];
        if text == "-0" || text.ends_with('.') {
            return None;
        }
        serde_json::from_str::<Number>(text).ok()
    }

    /// `@` / `$` then `.name`, `['name']` or `[index]` steps; anything else is not singular.
    fn singular(&mut self) -> Option<Singular> {
        let from_root = self.peek()? == b'$';
        self.i += 1;
        let mut steps = Vec::new();
        loop {
            let save = self.i;
            self.blank();
            match self.peek() {
                Some(b'.') if self.s.get(self.i + 1) != Some(&b'.') => {
                    self.i += 1;
                    steps.push(Step::Name(self.shorthand()?));
                }
                Some(b'[') => {
                    self.i += 1;
                    let step = match self.peek()? {
                        b'\'' | b'"' => Step::Name(self.string()?),
                        _ => Step::Index(self.index()?),
                    };
                    self.eat(b']').then_some(())?;
                    steps.push(step);
                }
                Some(b'.') => return None,
                _ => {
                    self.i = save;
                    return Some(Singular { from_root, steps });
                }
            }
        }
    }
}

/// One step of the path to the node being visited; turned into a pointer only for matches.
#[derive(Clone, Copy)]
pub(super) enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

/// On the stack: a selection is made for every rule and unit, and paths are short.
type Path<'v> = smallvec::SmallVec<[Token<'v>; 16]>;

/// What a walk keeps of the way to the node it visits: the path, when matches need pointers,
/// or nothing (`()`), when only the nodes are wanted.
trait Trail<'v> {
    fn push(&mut self, token: Token<'v>);
    fn pop(&mut self);
}

impl<'v> Trail<'v> for Path<'v> {
    fn push(&mut self, token: Token<'v>) {
        smallvec::SmallVec::push(self, token);
    }

    fn pop(&mut self) {
        smallvec::SmallVec::pop(self);
    }
}

impl<'v> Trail<'v> for () {
    fn push(&mut self, _: Token<'v>) {}

    fn pop(&mut self) {}
}

impl Query {
    /// How many descendant segments (`..`) the query has, and the product of the number of
    /// selectors of each segment (`[a, b]` is 2): together they bound how many nodes it can
    /// visit, as each descendant segment can multiply them by the depth of the document and each
    /// union by its width (a union selects a node once per selector that finds it).
    pub fn shape(&self) -> (usize, usize) {
        let descendants = self.segments.iter().filter(|s| s.descendant).count();
        let width = self
            .segments
            .iter()
            .map(|s| s.selectors.len().max(1))
            .fold(1usize, |a, b| a.saturating_mul(b));
        (descendants, width)
    }

    /// The regular expressions of its `match()` and `search()` filters.
    pub fn regexes(&self) -> Vec<&LazyRegex> {
        fn of_or<'q>(or: &'q Or, out: &mut Vec<&'q LazyRegex>) {
            for and in &or.0 {
                for basic in &and.0 {
                    match basic {
                        Basic::Paren { expr, .. } => of_or(expr, out),
                        Basic::Regex { regex, .. } => out.push(&regex.0),
                        _ => {}
                    }
                }
            }
        }
        let mut out = Vec::new();
        for segment in &self.segments {
            for sel in &segment.selectors {
                if let Sel::Filter(or) = sel {
                    of_or(or, &mut out);
                }
            }
        }
        out
    }

    /// Every match under `root`, as (`prefix` + pointer, node), in the reference's order.
    pub fn select<'v>(&self, root: &'v Value, prefix: &str) -> Vec<(String, &'v Value)> {
        let mut out = Vec::new();
        let mut path = Path::new();
        let mut found = |node: &'v Value, path: &mut Path<'v>| {
            out.push((pointer(prefix, path), node));
        };
        walk(&self.segments, root, root, &mut path, &mut found);
        out
    }

    /// The nodes of [`Query::select`], without their pointers.
    pub fn nodes<'v>(&self, root: &'v Value) -> Nodes<'v> {
        let mut out = Nodes::new();
        walk(&self.segments, root, root, &mut (), &mut |node, _| {
            out.push(node)
        });
        out
    }

    /// The nodes of a query of no step or one name step, without a walk.
    pub fn nodes_near<'v>(&self, node: &'v Value) -> Option<Nodes<'v>> {
        let mut out = Nodes::new();
        match self.segments.as_slice() {
            [] => out.push(node),
            [Segment {
                descendant: false,
                selectors,
            }] => match selectors.as_slice() {
                [Sel::Name(name)] => out.extend(
                    node.as_object()
                        .and_then(|o| member(o, name))
                        .map(|(_, v)| v),
                ),
                _ => return None,
            },
            _ => return None,
        }
        Some(out)
    }

    /// [`Query::nodes`] from the root `members` was made for: a query that starts with `..name`
    /// continues from the members already found instead of walking the whole tree.
    pub fn nodes_at_root<'v>(&self, members: &Descendants<'v>) -> Nodes<'v> {
        let root = members.root;
        let name = match self.segments.first() {
            Some(Segment {
                descendant: true,
                selectors,
            }) => match selectors.as_slice() {
                [Sel::Name(name)] => name,
                _ => return self.nodes(root),
            },
            _ => return self.nodes(root),
        };
        let mut out = Nodes::new();
        for node in members.named(name).iter() {
            walk(&self.segments[1..], node, root, &mut (), &mut |node, _| {
                out.push(node)
            });
        }
        out
    }
}

/// The members of one name, in document order.
type Members<'v> = std::rc::Rc<Nodes<'v>>;

/// The members of each name anywhere under a root (`$..name`), found once: a unit's rules ask
/// for `$..components[…]` and `$..buttons[…]` dozens of times, each a walk of the whole unit.
pub struct Descendants<'v> {
    root: &'v Value,
    found: std::cell::RefCell<Vec<(String, Members<'v>)>>,
}

impl<'v> Descendants<'v> {
    pub fn new(root: &'v Value) -> Self {
        Descendants {
            root,
            found: Default::default(),
        }
    }

    pub fn root(&self) -> &'v Value {
        self.root
    }

    fn named(&self, name: &str) -> Members<'v> {
        if let Some((_, hits)) = self.found.borrow().iter().find(|(n, _)| n == name) {
            return std::rc::Rc::clone(hits);
        }
        let query = Query {
            segments: vec![Segment {
                descendant: true,
                selectors: vec![Sel::Name(name.to_string())],
            }],
        };
        let hits = std::rc::Rc::new(query.nodes(self.root));
        self.found
            .borrow_mut()
            .push((name.to_string(), std::rc::Rc::clone(&hits)));
        hits
    }
}

fn pointer(prefix: &str, path: &[Token<'_>]) -> String {
    let len = path
        .iter()
        .map(|t| match t {
            Token::Key(key) => key.len() + 1,
            Token::Index(_) => 4,
        })
        .sum::<usize>();
    let mut out = String::with_capacity(prefix.len() + len);
    out.push_str(prefix);
    for token in path {
        push_token(&mut out, token);
    }
    out
}

/// Appends one step to an RFC 6901 pointer.
pub(super) fn push_token(pointer: &mut String, token: &Token<'_>) {
    match token {
        Token::Key(key) => pointer_push(pointer, key),
        Token::Index(i) => {
            pointer.push('/');
            pointer.push_str(itoa::Buffer::new().format(*i));
        }
    }
}

fn walk<'v, T: Trail<'v>>(
    segments: &[Segment],
    node: &'v Value,
    root: &'v Value,
    path: &mut T,
    found: &mut dyn FnMut(&'v Value, &mut T),
) {
    let Some((segment, rest)) = segments.split_first() else {
        found(node, path);
        return;
    };
    apply(segment, node, root, path, &mut |child, path| {
        walk(rest, child, root, path, found)
    });
}

/// Applies one segment at `node`, calling `next` for every match with `path` leading to it.
fn apply<'v, T: Trail<'v>>(
    segment: &Segment,
    node: &'v Value,
    root: &'v Value,
    path: &mut T,
    next: &mut dyn FnMut(&'v Value, &mut T),
) {
    for sel in &segment.selectors {
        select_children(sel, node, root, path, next);
    }
    if segment.descendant {
        for_each_child(node, path, &mut |child, path| {
            if matches!(child, Value::Array(_) | Value::Object(_)) {
                apply(segment, child, root, path, next)
            }
        });
    }
}

fn select_children<'v, T: Trail<'v>>(
    sel: &Sel,
    node: &'v Value,
    root: &'v Value,
    path: &mut T,
    next: &mut dyn FnMut(&'v Value, &mut T),
) {
    match sel {
        Sel::Name(name) => {
            if let Some((key, child)) = node.as_object().and_then(|o| member(o, name)) {
                visit(path, Token::Key(key), child, next);
            }
        }
        Sel::Index(i) => {
            if let Some((at, child)) = node.as_array().and_then(|a| element(a, *i)) {
                visit(path, Token::Index(at), child, next);
            }
        }
        Sel::Wildcard => for_each_child(node, path, next),
        Sel::Filter(f) => for_each_child(node, path, &mut |child, path| {
            if f.holds(child, root) {
                next(child, path)
            }
        }),
    }
}

fn for_each_child<'v, T: Trail<'v>>(
    node: &'v Value,
    path: &mut T,
    f: &mut dyn FnMut(&'v Value, &mut T),
) {
    match node {
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                visit(path, Token::Index(i), child, f);
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                visit(path, Token::Key(key), child, f);
            }
        }
        _ => {}
    }
}

fn visit<'v, T: Trail<'v>>(
    path: &mut T,
    token: Token<'v>,
    child: &'v Value,
    f: &mut dyn FnMut(&'v Value, &mut T),
) {
    if !super::budget::step() {
        return;
    }
    path.push(token);
    f(child, path);
    path.pop();
}

fn element(items: &[Value], i: i64) -> Option<(usize, &Value)> {
    let at = if i < 0 {
        items
            .len()
            .checked_sub(usize::try_from(i.unsigned_abs()).ok()?)?
    } else {
        usize::try_from(i).ok()?
    };
    items.get(at).map(|v| (at, v))
}

impl Or {
    fn holds(&self, current: &Value, root: &Value) -> bool {
        self.0
            .iter()
            .any(|and| and.0.iter().all(|b| b.holds(current, root)))
    }
}

impl Basic {
    fn holds(&self, current: &Value, root: &Value) -> bool {
        match self {
            Basic::Paren { negate, expr } => expr.holds(current, root) != *negate,
            Basic::Exists { negate, query } => query.get(current, root).is_some() != *negate,
            Basic::Compare(l, op, r) => compare(l.get(current, root), *op, r.get(current, root)),
            Basic::Regex {
                negate,
                query,
                regex,
            } => regex.is_match(query.get(current, root)) != *negate,
        }
    }
}

impl Operand {
    fn get<'v>(&'v self, current: &'v Value, root: &'v Value) -> Option<&'v Value> {
        match self {
            Operand::Literal(v) => Some(v),
            Operand::Query(q) => q.get(current, root),
        }
    }
}

impl Singular {
    fn get<'v>(&self, current: &'v Value, root: &'v Value) -> Option<&'v Value> {
        let mut node = if self.from_root { root } else { current };
        for step in &self.steps {
            node = match step {
                Step::Name(name) => member(node.as_object()?, name)?.1,
                Step::Index(i) => element(node.as_array()?, *i)?.1,
            };
        }
        Some(node)
    }
}

/// RFC 9535 §2.3.5.2.2 as the reference implements it: a missing value equals only another
/// missing value; ordering needs two values of one type and is defined for numbers and strings.
fn compare(left: Option<&Value>, op: Op, right: Option<&Value>) -> bool {
    // Worked out only as the operator needs: filters are mostly `==` on strings.
    let equal = || match (left, right) {
        (None, None) => true,
        (Some(a), Some(b)) => values_equal(a, b),
        _ => false,
    };
    let same_type = || match (left, right) {
        (Some(a), Some(b)) => std::mem::discriminant(a) == std::mem::discriminant(b),
        _ => false,
    };
    let less = || match (left, right) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => {
            a.as_f64().zip(b.as_f64()).is_some_and(|(a, b)| a < b)
        }
        (Some(Value::String(a)), Some(Value::String(b))) => a < b,
        _ => false,
    };
    match op {
        Op::Eq => equal(),
        Op::Ne => !equal(),
        Op::Lt => same_type() && less(),
        Op::Gt => same_type() && !less() && !equal(),
        Op::Le => same_type() && (less() || equal()),
        Op::Ge => same_type() && !less(),
    }
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use serde_json_path::JsonPath;

    /// Selectors of every shape the subset covers, run against both implementations.
    const QUERIES: &[&str] = &[
        "$",
        "$.a",
        "$.components",
        "$.components[*]",
        "$.components.*",
        "$..components",
        "$..*",
        "$..[*]",
        "$..type",
        "$..['type', 'text']",
        "$['components'][0]",
        "$.components[-1]",
        "$.components[-9]",
        "$.components[1, 0, 1]",
        "$.components[?@.type == 'BODY']",
        "$..components[?@.type == 'BODY' || @.type == 'HEADER']",
        "$..buttons[?@.type == 'URL']",
        "$..buttons[*]",
        "$.components[*].buttons[*]..url",
        "$..components[?@.type == 'HEADER' && @.format != 'TEXT']",
        "$.components[?@.type != 'BODY' && @.type != 'FOOTER']",
        "$.components[?(@.type == 'BODY' || @.type == 'HEADER') && !@.text]",
        "$.components[?!(@.type == 'BODY')]",
        "$.components[?@.text]",
        "$.components[?!@.text]",
        "$.components[? @.n > 1 ]",
        "$.components[?@.n >= 1.0]",
        "$.components[?@.n < 2e0]",
        "$.components[?@.n <= -1]",
        "$.components[?@.n == 1]",
        "$.components[?@.flag >= false]",
        "$.components[?@.none <= null]",
        "$.components[?@.obj > @.obj]",
        "$.components[?@.text < 'm']",
        "$.components[?@.flag == true]",
        "$.components[?@.flag != false]",
        "$.components[?@.none == null]",
        "$.components[?@.missing == @.other]",
        "$.components[?@.obj == $.components[0].obj]",
        "$.components[?@['type'] == \"BODY\"]",
        "$.components[?@.buttons[0].type == 'URL']",
        "$.components[?@.buttons[-1]]",
        "$.components[?@ == 'plain']",
        "$.list[?@ == 'sms' || @ == 'voice']",
        "$.list[?@ > 1]",
        "$..[?@.type == 'URL'].url",
        "$.weird['a/b~c']",
        "$['it\\'s', \"q\\\"\", 'tab\\there', '\\u00e9']",
        "$ .components [0] .type",
        "$..components[?@.type == 'CAROUSEL'].cards[*].components[?@.type == 'BODY']",
        "$.obj[*]",
        "$.obj[?@ == 1]",
    ];

    fn sample() -> Value {
        json!({
            "a": 1,
            "components": [
                {"type": "HEADER", "format": "IMAGE", "n": 1, "flag": true, "obj": {"k": [1, 2]}},
                {"type": "BODY", "text": "hello", "n": 2.0, "none": null, "obj": {"k": [1, 2.0]}},
                {"type": "BUTTONS", "buttons": [{"type": "URL", "url": "u"}, {"type": "QUICK_REPLY", "text": "ok"}]},
                {"type": "CAROUSEL", "cards": [{"components": [{"type": "BODY", "text": "c"}]}]},
                "plain",
                {"type": "FOOTER", "text": "z", "n": -1, "flag": false, "missing": 1, "other": 1},
            ],
            "list": ["sms", "voice", 2, 1.5, "x"],
            "weird": {"a/b~c": "escaped", "it's": 1},
            "it's": 1, "q\"": 2, "tab\there": 3, "é": 4,
            "obj": {"x": 1, "y": {"z": 1}},
        })
    }

    #[test]
    fn agrees_with_the_reference_implementation() {
        let v = sample();
        for text in QUERIES {
            let ours = parse(text).unwrap_or_else(|| panic!("not compiled: {text}"));
            let reference = JsonPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let expected = super::super::reference_select(&reference, &v, "");
            assert_eq!(ours.select(&v, ""), expected, "{text}");
        }
    }

    #[test]
    fn everything_it_accepts_is_valid_jsonpath() {
        let invalid = [
            "$.",
            "$..",
            "$.1a",
            "$[01]",
            "$[-0]",
            "$['a'",
            "$[?@.a = 1]",
            "$[?@.a == 1 == 2]",
            "$[?!@.a == 1]",
            "$[?'a']",
            "$[?@.a == 01]",
            "$[?@.a == 1.]",
            "$[?@..a == 1]",
            "$[?@.a[*] == 1]",
            "$ a",
            "$[\"\\'\"]",
            "$['\\x']",
            "$.a\n.b",
        ];
        for text in invalid {
            let reference = JsonPath::parse(text).is_ok();
            if parse(text).is_some() {
                assert!(reference, "compiled but invalid: {text:?}");
            }
        }
        for text in ["$[0:2]", "$[?length(@) > 1]", "$.é"] {
            assert!(parse(text).is_none(), "{text}: left to the reference");
        }
    }
}
