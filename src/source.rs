//! Source files and the byte-offset → line/column mapping every diagnostic needs.

use std::sync::Arc;

/// A byte range in a source text (`start..end`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A 1-based position; `column` counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One input file: its display name, its text and a line index.
#[derive(Debug)]
pub struct SourceFile {
    name: Box<str>,
    text: Arc<str>,
    lines: Lines,
}

/// How positions are found: one or the other, as a run keeps thousands of files of each.
#[derive(Debug)]
enum Lines {
    /// Line starts, built when a position is first asked for: most files of a run have no
    /// diagnostic.
    Index(std::sync::OnceLock<Box<[usize]>>),
    /// Positions worked out before the text was dropped ([`SourceFile::positions_only`]).
    Kept(Box<[Kept]>),
}

/// A position kept after the text is dropped, in 12 bytes: a large run keeps one table of them
/// per file with findings.
#[derive(Clone, Copy, Debug)]
struct Kept {
    offset: u32,
    line: u32,
    column: u32,
}

impl Kept {
    fn new(offset: usize, at: Position) -> Option<Kept> {
        Some(Kept {
            offset: offset.try_into().ok()?,
            line: at.line.try_into().ok()?,
            column: at.column.try_into().ok()?,
        })
    }

    fn position(self) -> Position {
        Position {
            line: self.line as usize,
            column: self.column as usize,
        }
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into().into_boxed_str(),
            text: text.into(),
            lines: Lines::Index(std::sync::OnceLock::new()),
        }
    }

    /// A file known by its name only (its text dropped or never read); the empty text is
    /// shared, as a large run holds one such file per clean input.
    pub fn named(name: impl Into<String>) -> Self {
        static EMPTY: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
        SourceFile::new(name, Arc::clone(EMPTY.get_or_init(|| Arc::from(""))))
    }

    /// The same file without its text, keeping only the positions of `offsets`: what a report
    /// that quotes no source line needs of a file with findings. `None` past 4 GiB of text.
    pub fn positions_only(&self, offsets: impl IntoIterator<Item = usize>) -> Option<SourceFile> {
        let known: Option<Vec<Kept>> = offsets
            .into_iter()
            .map(|o| Kept::new(o, self.position(o)))
            .collect();
        let mut known = known?;
        known.sort_unstable_by_key(|k| k.offset);
        known.dedup_by_key(|k| k.offset);
        Some(SourceFile {
            lines: Lines::Kept(known.into_boxed_slice()),
            ..SourceFile::named(String::from(self.name()))
        })
    }

    fn line_starts(&self) -> &[usize] {
        match &self.lines {
            Lines::Index(index) => index.get_or_init(|| line_starts(&self.text).into_boxed_slice()),
            // The text is gone: one empty line.
            Lines::Kept(_) => &[0],
        }
    }

    /// Whether the file keeps positions only, its text dropped: nothing of it can be shown.
    pub fn is_positions_only(&self) -> bool {
        matches!(self.lines, Lines::Kept(_))
    }

    /// The name shown in reports (the path as the user gave it).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The text a span covers; empty when the span does not fall on char boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Line and character column of a byte offset. A UTF-8 byte-order mark is not a column.
    pub fn position(&self, offset: usize) -> Position {
        if let Lines::Kept(known) = &self.lines {
            let found = u32::try_from(offset)
                .ok()
                .and_then(|o| known.binary_search_by_key(&o, |k| k.offset).ok());
            if let Some(i) = found {
                return known[i].position();
            }
            debug_assert!(false, "position of {offset} in {} not kept", self.name);
        }
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts()[line];
        if line == 0 && self.text.starts_with('\u{feff}') {
            start = start.max('\u{feff}'.len_utf8()).min(offset.max(start));
        }
        let column = self.text[start..offset.max(start)].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The 0-based line an offset falls on.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The bytes of a 0-based line without its line break, and whether a break ends it.
    pub fn line_content(&self, line: usize) -> (Span, bool) {
        let start = self.line_starts()[line];
        let Some(&next) = self.line_starts().get(line + 1) else {
            return (Span::new(start, self.text.len()), false);
        };
        let end = if self.text[..next].ends_with("\r\n") {
            next - 2
        } else {
            next - 1
        };
        (Span::new(start, end), true)
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| start + i)
            .unwrap_or(self.text.len())
    }
}

/// What [`read_regular`] found: the bytes, or the size of a file past the limit.
pub enum Read {
    Bytes(Vec<u8>),
    /// Larger than the limit: the size `stat` gave, or `max + 1` when the file grew while read.
    TooLarge(u64),
}

/// Reads a regular file of at most `max` bytes. FIFOs, devices and directories are refused
/// (reading them could block forever or never end), and so are larger files.
pub fn read_file(path: &std::path::Path, max: usize) -> std::io::Result<Vec<u8>> {
    match read_regular(path, max)? {
        Read::Bytes(bytes) => Ok(bytes),
        Read::TooLarge(_) => Err(std::io::Error::other(format!(
            "it is larger than {max} bytes (limit `max_file_size`)"
        ))),
    }
}

/// [`read_file`], telling a file past the limit apart from one that cannot be read. The file
/// is looked at once, as opened, and its size from that look sizes the buffer.
pub fn read_regular(path: &std::path::Path, max: usize) -> std::io::Result<Read> {
    use std::io::Read as _;
    let (file, meta) = open_regular(path)?;
    if meta.len() > max as u64 {
        return Ok(Read::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Ok(Read::TooLarge(bytes.len() as u64));
    }
    Ok(Read::Bytes(bytes))
}

/// Opens a regular file for reading without ever blocking: without waiting for a FIFO's
/// writer, and with reads that fail instead of waiting (`/proc/kmsg` is "regular" but blocks).
/// What was opened is looked at, not the path, so nothing can be swapped in between.
#[cfg(unix)]
fn open_regular(path: &std::path::Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    refuse_irregular(&meta)?;
    Ok((file, meta))
}

#[cfg(not(unix))]
fn open_regular(path: &std::path::Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    refuse_irregular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    refuse_irregular(&meta)?;
    Ok((file, meta))
}

fn refuse_irregular(meta: &std::fs::Metadata) -> std::io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "it is a directory"
    } else {
        "it is not a regular file (a pipe or a device)"
    };
    Err(std::io::Error::other(what))
}

/// Rule files and configurations are small; anything larger is refused.
pub const MAX_CONFIG_SIZE: usize = 4 * 1024 * 1024;

/// Reads a rule file or configuration: a regular file of at most [`MAX_CONFIG_SIZE`] bytes.
pub fn read_config(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    match read_regular(path, MAX_CONFIG_SIZE)? {
        Read::Bytes(bytes) => Ok(bytes),
        Read::TooLarge(_) => Err(std::io::Error::other(
            "it is larger than 4 MiB, the most wabalint reads of a rule file or configuration",
        )),
    }
}

/// A path as reports name it: as written when it is plain text; otherwise in double quotes,
/// with bytes that are not UTF-8, control characters and bidirectional controls as `\xHH` /
/// `\uHHHH`, and `\` and `"` escaped. Two different paths are never shown alike (a lossy
/// conversion shows `a<FF>.yaml` and `a<FE>.yaml` both as `a\u{fffd}.yaml`).
pub fn shown_path(path: &std::path::Path) -> String {
    shown_bytes(&path_bytes_of(path))
}

fn path_bytes_of(path: &std::path::Path) -> std::borrow::Cow<'_, [u8]> {
    name_bytes_of(path.as_os_str())
}

/// The bytes of a file name as the system has them (UTF-8 text elsewhere than on Unix).
#[cfg(unix)]
pub fn name_bytes_of(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(name.as_bytes())
}

/// The bytes of a file name as the system has them (UTF-8 text elsewhere than on Unix).
#[cfg(not(unix))]
pub fn name_bytes_of(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
}

/// Characters a name cannot show as they are.
fn needs_quotes(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn shown_bytes(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.starts_with('"') && !text.chars().any(needs_quotes) {
            return text.to_string();
        }
    }
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if needs_quotes(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// The path a name [`shown_path`] made stands for (its bytes where the system has them).
pub fn path_of_name(shown: &str) -> std::path::PathBuf {
    let bytes = name_bytes(shown);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(&bytes).into()
    }
    #[cfg(not(unix))]
    {
        String::from_utf8_lossy(&bytes).into_owned().into()
    }
}

/// The bytes of a name [`shown_path`] made (its inverse), for URIs, which encode bytes.
pub fn name_bytes(shown: &str) -> std::borrow::Cow<'_, [u8]> {
    let quoted = shown.len() >= 2 && shown.starts_with('"') && shown.ends_with('"');
    if !quoted {
        return std::borrow::Cow::Borrowed(shown.as_bytes());
    }
    let mut out = Vec::with_capacity(shown.len());
    let push = |c: char, out: &mut Vec<u8>| {
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    };
    let mut chars = shown[1..shown.len() - 1].chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            push(c, &mut out);
            continue;
        }
        match chars.next() {
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.extend(u8::from_str_radix(&hex, 16).ok());
            }
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                push(c.unwrap_or('\u{fffd}'), &mut out);
            }
            Some(other) => push(other, &mut out),
            None => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A short reason for a failed read, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Line starts for `\n`, `\r\n` and a lone `\r`, as YAML counts lines.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Manifests have a line every few dozen bytes: sized once for most (a long one-line
    // file is not paid for in advance).
    let mut starts = Vec::with_capacity((bytes.len() / 24 + 1).min(4096));
    starts.push(0);
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            starts.push(i + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_its_text_keeps_the_positions_it_was_given() {
        let src = SourceFile::new("t", "\u{feff}a: ü\r\nb: 👋x\n");
        let x = src.text().find('x').unwrap();
        let kept = src.positions_only([x, 0, x]).unwrap();
        assert_eq!(kept.text(), "");
        assert_eq!(kept.name(), "t");
        assert_eq!(kept.position(x), Position { line: 2, column: 5 });
        assert_eq!(kept.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn positions_count_characters_and_all_line_breaks() {
        let src = SourceFile::new("t", "a: ü\r\nb: 👋x\rc: 1\n");
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
        let x = src.text().find('x').unwrap();
        assert_eq!(src.position(x), Position { line: 2, column: 5 });
        let c = src.text().find('c').unwrap();
        assert_eq!(src.position(c), Position { line: 3, column: 1 });
        assert_eq!(src.offset_of(2, 5), x);
        assert_eq!(src.line_count(), 4);
        assert_eq!(src.line_index(x), 1);
        assert_eq!(src.slice(src.line_content(0).0), "a: ü");
        assert_eq!(src.slice(src.line_content(1).0), "b: 👋x");
        assert_eq!(
            src.line_content(3),
            (Span::new(src.text().len(), src.text().len()), false)
        );
    }

    #[test]
    fn names_that_are_not_plain_text_are_shown_quoted_and_distinct() {
        for name in [
            "a.yaml",
            "dir/ü 1.json",
            "::error file=x::y.yaml",
            "a\\b.yaml",
        ] {
            assert_eq!(shown_bytes(name.as_bytes()), name);
        }
        let names: [&[u8]; 7] = [
            b"a\xff.yaml",
            b"a\xfe.yaml",
            b"a\\xff.yaml",
            b"\"a\\xff.yaml\"",
            b"a\n.yaml",
            b"a\x1b[2J.yaml",
            "a\u{202e}.yaml".as_bytes(),
        ];
        let shown: Vec<String> = names.iter().map(|b| shown_bytes(b)).collect();
        assert_eq!(shown[0], r#""a\xff.yaml""#);
        assert_eq!(shown[4], r#""a\x0a.yaml""#);
        assert_eq!(shown[6], r#""a\u202e.yaml""#);
        let distinct: std::collections::HashSet<&String> = shown.iter().collect();
        assert_eq!(distinct.len(), shown.len(), "{shown:?}");
        for (bytes, shown) in names.iter().zip(&shown) {
            assert_eq!(&*name_bytes(shown), *bytes, "{shown}");
        }
    }

    #[test]
    fn bom_is_not_a_column() {
        let src = SourceFile::new("t", "\u{feff}name: x");
        assert_eq!(src.position(3), Position { line: 1, column: 1 });
        assert_eq!(src.position(9), Position { line: 1, column: 7 });
    }
}
