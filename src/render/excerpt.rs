//! What the human report shows of a source file: the lines around a diagnostic's labels, long
//! lines cut to windows around the labels, control characters escaped. miette prints whole lines
//! (and scans the whole text for every snippet); a minified export is one line of megabytes.

use super::push_escaped;
use crate::source::{SourceFile, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::ops::Range;
use std::sync::Arc;

/// Lines of up to this many characters are shown whole.
const LINE_LIMIT: usize = 240;
/// Characters shown on each side of a label's start and end in a longer line.
const AROUND: usize = 100;
/// Labels more lines apart than this get snippets of their own.
const MAX_GAP: usize = 8;
/// Marks text left out of a line.
const CUT: &str = "…";
/// Control characters shown raw in snippets: miette expands tabs.
const TAB: &[char] = &['\t'];

/// The length of `text` in the excerpt, control characters escaped.
fn escaped_len(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                4
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

/// Part of a source line shown in the excerpt.
struct Piece {
    real: Range<usize>,
    /// Where its (escaped) text starts in the excerpt.
    at: usize,
}

struct Line {
    /// 0-based line in the source.
    real: usize,
    /// Where the line starts in the excerpt.
    at: usize,
    pieces: Vec<Piece>,
    /// The last source line of the run of consecutive lines this one belongs to.
    block_end: usize,
}

/// A [`SourceCode`] for miette over the lines a diagnostic shows. Its offsets are its own: map
/// spans with [`Excerpt::span`]. Line numbers and the header's column are the source's.
pub struct Excerpt {
    name: String,
    file: Arc<SourceFile>,
    text: String,
    lines: Vec<Line>,
}

impl Excerpt {
    /// The lines `spans` are on, with one line of context each; `name` is shown as the file.
    pub fn new(file: &Arc<SourceFile>, name: String, spans: &[Span]) -> Excerpt {
        let last = file.line_count() - 1;
        let clamp = |o: usize| o.min(file.text().len());
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let (first, end) = (
                    file.line_index(clamp(s.start)),
                    file.line_index(clamp(s.end)),
                );
                (first.saturating_sub(1), (end + 1).min(last))
            })
            .collect();
        ranges.sort_unstable();
        // miette joins two snippets when the second starts before `line + line_count` of the
        // first (see `read_span`); the same rule as miette's own, but never across more than
        // MAX_GAP lines.
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (start, end) in ranges {
            match blocks.last_mut() {
                Some(b) if start <= b.0 + b.1 + 1 && start <= b.1 + 1 + MAX_GAP => {
                    b.1 = b.1.max(end)
                }
                _ => blocks.push((start, end)),
            }
        }
        let mut points: Vec<usize> = spans
            .iter()
            .flat_map(|s| [clamp(s.start), clamp(s.end)])
            .collect();
        points.sort_unstable();
        let mut excerpt = Excerpt {
            name,
            file: Arc::clone(file),
            text: String::new(),
            lines: Vec::new(),
        };
        for (start, end) in blocks {
            for real in start..=end {
                excerpt.push_line(real, end, &points);
            }
        }
        excerpt
    }

    fn push_line(&mut self, real: usize, block_end: usize, points: &[usize]) {
        let text = self.file.text();
        let (content, line_break) = self.file.line_content(real);
        let (ls, le) = (content.start, content.end);
        let here: Vec<usize> = points
            .iter()
            .copied()
            .filter(|p| (ls..=le).contains(p))
            .collect();
        let short = le - ls <= LINE_LIMIT
            || le - ls <= 4 * LINE_LIMIT && text[ls..le].chars().count() <= LINE_LIMIT;
        let mut windows: Vec<Range<usize>> = if short {
            std::iter::once(ls..le).collect()
        } else if here.is_empty() {
            std::iter::once(ls..forward(text, ls, le, LINE_LIMIT)).collect()
        } else {
            here.iter()
                .map(|&p| {
                    let p = floor(text, p);
                    back(text, ls, p, AROUND)..forward(text, p, le, AROUND)
                })
                .collect()
        };
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for w in windows {
            match merged.last_mut() {
                Some(m) if w.start <= m.end => m.end = m.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let at = self.text.len();
        let mut pieces = Vec::with_capacity(merged.len());
        let mut shown = ls;
        for w in merged {
            if w.start > shown {
                self.text.push_str(CUT);
            }
            pieces.push(Piece {
                real: w.clone(),
                at: self.text.len(),
            });
            for c in text[w.clone()].chars() {
                push_escaped(&mut self.text, c, TAB);
            }
            shown = w.end;
        }
        if shown < le {
            self.text.push_str(CUT);
        }
        if line_break {
            self.text.push('\n');
        }
        self.lines.push(Line {
            real,
            at,
            pieces,
            block_end,
        });
    }

    /// A source span in the excerpt's offsets, as miette takes it.
    pub fn span(&self, span: Span) -> SourceSpan {
        let start = self.offset(span.start);
        let end = self.offset(span.end).max(start);
        (start, end - start).into()
    }

    fn offset(&self, real: usize) -> usize {
        let real = real.min(self.file.text().len());
        let line = self.file.line_index(real);
        let Ok(i) = self.lines.binary_search_by_key(&line, |l| l.real) else {
            return 0;
        };
        let line = &self.lines[i];
        let mut at = line.at;
        for p in &line.pieces {
            if real < p.real.start {
                break;
            }
            let end = p.real.end.min(real);
            at = p.at + escaped_len(&self.file.text()[p.real.start..floor(self.file.text(), end)]);
        }
        at
    }

    /// The source offset shown at an excerpt offset.
    fn real(&self, offset: usize) -> usize {
        let i = match self.lines.binary_search_by_key(&offset, |l| l.at) {
            Ok(i) => i,
            Err(0) => return 0,
            Err(i) => i - 1,
        };
        let line = &self.lines[i];
        let mut real = self.file.line_content(line.real).0.start;
        for p in &line.pieces {
            if offset < p.at {
                break;
            }
            real = p.real.start;
            let mut at = p.at;
            for (i, c) in self.file.text()[p.real.clone()].char_indices() {
                if at >= offset {
                    break;
                }
                at += escaped_len(c.encode_utf8(&mut [0; 4]));
                real = p.real.start + i + c.len_utf8();
            }
        }
        real
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        let Some(line) = self.lines.get(inner.line()).or(self.lines.last()) else {
            return Ok(inner);
        };
        // Snippets of one run of lines are joined into one: miette joins them when the next
        // starts at or before `line + line_count`.
        let line_count = line.block_end - line.real;
        let column = if context_lines_before == 0 {
            self.file.position(self.real(span.offset())).column - 1
        } else {
            0
        };
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line.real,
            column,
            line_count,
        )
        .with_language("yaml");
        Ok(Box::new(contents))
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The offset `n` characters before `from`, not before `start`.
fn back(text: &str, start: usize, from: usize, n: usize) -> usize {
    text[start..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(start, |(i, _)| start + i)
}

/// The offset `n` characters after `from`, not after `end`.
fn forward(text: &str, from: usize, end: usize, n: usize) -> usize {
    text[from..end]
        .char_indices()
        .nth(n)
        .map_or(end, |(i, _)| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(excerpt: &Excerpt, span: Span) -> String {
        let s = excerpt.span(span);
        excerpt.text[s.offset()..s.offset() + s.len()].to_string()
    }

    #[test]
    fn short_lines_are_shown_whole_with_a_line_of_context() {
        let file = Arc::new(SourceFile::new("t", "a: 1\nb: 2\nc: 3\nd: 4\n"));
        let c = file.text().find("3").unwrap();
        let excerpt = Excerpt::new(&file, "t".into(), &[Span::new(c, c + 1)]);
        assert_eq!(excerpt.text, "b: 2\nc: 3\nd: 4\n");
        assert_eq!(shown(&excerpt, Span::new(c, c + 1)), "3");
        let contents = excerpt
            .read_span(&excerpt.span(Span::new(c, c + 1)), 0, 0)
            .unwrap();
        assert_eq!((contents.line(), contents.column()), (2, 3));
    }

    #[test]
    fn long_lines_are_cut_around_labels() {
        let text = format!("k: {}XY{}Z\n", "a".repeat(5000), "b".repeat(5000));
        let file = Arc::new(SourceFile::new("t", text.as_str()));
        let xy = text.find("XY").unwrap();
        let z = text.find('Z').unwrap();
        let labels = [Span::new(xy, xy + 2), Span::new(z, z + 1)];
        let excerpt = Excerpt::new(&file, "t".into(), &labels);
        assert!(
            excerpt.text.len() < 4 * (2 * AROUND + 10),
            "{}",
            excerpt.text
        );
        assert!(excerpt.text.starts_with(CUT));
        assert_eq!(excerpt.text.matches(CUT).count(), 2);
        assert_eq!(shown(&excerpt, labels[0]), "XY");
        assert_eq!(shown(&excerpt, labels[1]), "Z");
        let contents = excerpt.read_span(&excerpt.span(labels[1]), 0, 0).unwrap();
        assert_eq!(contents.column(), z);
    }

    #[test]
    fn a_label_longer_than_the_window_spans_the_cut() {
        let text = format!("k: \"{}\"\n", "é".repeat(3000));
        let file = Arc::new(SourceFile::new("t", text.as_str()));
        let label = Span::new(3, text.len() - 1);
        let excerpt = Excerpt::new(&file, "t".into(), &[label]);
        let underlined = shown(&excerpt, label);
        assert!(underlined.starts_with("\"é") && underlined.ends_with("é\""));
        assert!(underlined.contains(CUT));
        assert!(underlined.chars().count() <= 2 * (2 * AROUND) + 1);
    }

    #[test]
    fn distant_labels_get_snippets_of_their_own() {
        let text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        let file = Arc::new(SourceFile::new("t", text.as_str()));
        let at = |k: &str| {
            let i = text.find(k).unwrap();
            Span::new(i, i + k.len())
        };
        let labels = [at("k3:"), at("k90:")];
        let excerpt = Excerpt::new(&file, "t".into(), &labels);
        assert_eq!(excerpt.text.lines().count(), 6);
        let contents = excerpt.read_span(&excerpt.span(labels[1]), 1, 1).unwrap();
        assert_eq!(contents.line(), 89);
        assert_eq!(
            std::str::from_utf8(contents.data()).unwrap(),
            "k89: 89\nk90: 90\nk91: 91\n"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        let text = "k: \"\u{1b}[2J\" # x\u{7}\n";
        let file = Arc::new(SourceFile::new("t", text));
        let x = text.find('x').unwrap();
        let excerpt = Excerpt::new(&file, "t".into(), &[Span::new(x, x + 1)]);
        assert_eq!(excerpt.text, "k: \"\\x1b[2J\" # x\\x07\n");
        assert_eq!(shown(&excerpt, Span::new(x, x + 1)), "x");
        let contents = excerpt
            .read_span(&excerpt.span(Span::new(x, x + 1)), 0, 0)
            .unwrap();
        assert_eq!(contents.column(), 12);
    }
}
