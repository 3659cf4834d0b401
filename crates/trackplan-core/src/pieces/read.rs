//! Reading one file in pieces that are cached by their text, and putting them together into the
//! [`ParsedFile`] a whole read of the file gives: one file, its model and findings pointing into
//! the file's text. An editor that changes one entry of a large file then parses that entry only.
//!
//! Each entry piece is parsed as its section's key line followed by the entry's lines (a part file
//! of one entry), the rest as the file itself with the entries left out. Their spans are then moved
//! to where the piece's bytes stand in the file, so nothing downstream can tell the difference; a
//! test reads files both ways and compares models and findings. The file is read whole when the
//! split is uncertain: the layout refuses it (see [`layout`]), a piece does not parse to its end (a
//! syntax error is reported where the whole file has it), an entry piece reads as anything but one
//! entry, or a top-level key of the rest runs into text that is not next to it in the file.

use super::{layout, relayout, EntryPiece, Layout};
use crate::model::{FilePart, ParsedFile};
use crate::schema;
use crate::span::{FileId, HasSpans, SourceFile, Span};
use crate::syntax::MAX_FILE_BYTES;
use crate::{parse_file, ROOT_FILE_NAME};
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::Arc;

/// The path entry pieces are parsed under: any file but the root file reads sections the same way.
const ENTRY_PATH: &str = "entry.yaml";

/// Reads the successive texts of one file, keeping the pieces of the last read.
#[derive(Default)]
pub struct PieceReader {
    entries: FxHashMap<Box<str>, Arc<Parsed>>,
    rest: Option<(RestKey, Arc<Parsed>)>,
    last: ReadStats,
    /// The last text read in pieces, its layout and its entry pieces in order: the next text's
    /// layout is usually this one carried over (see [`relayout`]).
    previous: Option<Previous>,
    /// The entries of the last read placed in the file, by piece and place.
    placed: FxHashMap<(usize, usize, usize), Placed>,
}

struct Previous {
    text: Arc<str>,
    layout: Layout,
    entries: Vec<Arc<Parsed>>,
}

/// What the last read did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// How many pieces the file was read in; 0 when it was read whole.
    pub pieces: usize,
    /// How many pieces (or whole files) were parsed; the others came from the cache.
    pub parsed: usize,
    /// Whether the layout was carried over from the previous read rather than found again.
    pub carried_over: bool,
    /// How many entries' models were placed in the file again (changed, or moved by an edit
    /// before them); the others are shared with the previous read.
    pub placed: usize,
}

#[derive(PartialEq, Eq)]
struct RestKey {
    is_root: bool,
    text: Box<str>,
}

/// A piece parsed, with what the reader checks of its tree (which is not kept).
struct Parsed {
    file: ParsedFile,
    /// An entry piece: it reads as one section holding one entry.
    one_entry: bool,
    /// The rest: the span of each top-level entry, in piece offsets.
    top_level: Vec<Range<u32>>,
}

fn parse_piece(path: &str, text: &str) -> Parsed {
    let mut file = parse_file(FileId(0), path, text);
    let root = file.tree.as_ref().and_then(|t| t.root.as_ref());
    let top: &[crate::syntax::Entry] = root.and_then(|r| r.as_mapping()).unwrap_or_default();
    let one_entry =
        matches!(top, [section] if section.value.as_mapping().is_some_and(|e| e.len() == 1));
    let top_level = top
        .iter()
        .map(|e| {
            let span = e.span();
            span.start..span.end
        })
        .collect();
    file.drop_tree();
    Parsed {
        file,
        one_entry,
        top_level,
    }
}

impl PieceReader {
    /// Reads `text` as the file at `path` (relative to the plan folder): what [`parse_file`] gives,
    /// without the syntax tree.
    pub fn read(&mut self, id: FileId, path: &str, text: &Arc<str>) -> ParsedFile {
        match self.read_in_pieces(id, path, text) {
            Some(file) => file,
            None => {
                self.previous = None;
                self.last = ReadStats {
                    pieces: 0,
                    parsed: self.last.parsed + 1,
                    carried_over: false,
                    placed: 0,
                };
                let mut file = parse_file(id, path, text.clone());
                file.drop_tree();
                file
            }
        }
    }

    /// What the last read did.
    pub fn last_read(&self) -> ReadStats {
        self.last
    }

    fn read_in_pieces(&mut self, id: FileId, path: &str, text: &Arc<str>) -> Option<ParsedFile> {
        self.last = ReadStats::default();
        if text.len() > MAX_FILE_BYTES {
            return None;
        }
        let previous = self.previous.take();
        let relaid = previous
            .as_ref()
            .and_then(|p| relayout(&p.text, &p.layout, text));
        self.last.carried_over = relaid.is_some();
        let (layout, changed) = match relaid {
            Some(relaid) => (relaid.layout, relaid.entry),
            None => (layout(text)?, None),
        };
        if layout.entries.is_empty() {
            return None;
        }
        let is_root = path == ROOT_FILE_NAME;
        // A missing required key is reported at the file's first key: the rest must hold it.
        let set = if is_root {
            &schema::ROOT
        } else {
            &schema::PART_FILE
        };
        if !layout.first_key_in_rest && set.docs().any(|doc| doc.required) {
            return None;
        }
        let rest = self.rest_piece(is_root, text, &layout);
        let entries = match (previous, self.last.carried_over) {
            (Some(previous), true) => {
                self.entry_pieces_after_edit(text, &layout, previous, changed)
            }
            _ => self.entry_pieces(text, &layout.entries),
        };
        self.last.pieces = entries.len() + usize::from(rest.is_some());
        let rest_fits = rest.as_ref().is_none_or(|(parsed, segments)| {
            // Each top-level key of the rest lies within one of its stretches of the file.
            parsed.top_level.iter().all(|span| {
                segments
                    .iter()
                    .zip(segments.iter().skip(1).map(|s| s.0).chain([u32::MAX]))
                    .any(|(&(start, _), end)| start <= span.start && span.end <= end)
            })
        });
        let read_whole = |p: &Parsed| p.file.parsed_whole();
        if !rest_fits
            || !rest.as_ref().is_none_or(|(p, _)| read_whole(p))
            || !entries.iter().all(|p| p.one_entry && read_whole(p))
        {
            return None;
        }
        let mut file = Assembly::new(id, path, text);
        if let Some((parsed, segments)) = &rest {
            file.add_rest(&parsed.file, segments);
        }
        // An entry's model in the file is made again only when the entry or its place changed.
        let mut placed = FxHashMap::default();
        for (piece, parsed) in layout.entries.iter().zip(&entries) {
            let key = (
                Arc::as_ptr(parsed) as usize,
                piece.header.start,
                piece.body.start,
            );
            let entry = match self.placed.remove(&key) {
                Some(entry) if entry.id == id => entry,
                _ => {
                    self.last.placed += 1;
                    Placed::new(parsed, id, piece)
                }
            };
            file.add_entry(&entry);
            placed.insert(key, entry);
        }
        self.placed = placed;
        let file = file.finish(&layout);
        self.previous = Some(Previous {
            text: text.clone(),
            layout,
            entries,
        });
        Some(file)
    }

    /// The rest parsed (from the cache when its text is the same), with its stretches: where each
    /// starts in the piece and in the file. `None` when there is no rest.
    fn rest_piece(
        &mut self,
        is_root: bool,
        text: &str,
        layout: &Layout,
    ) -> Option<(Arc<Parsed>, Vec<Stretch>)> {
        let mut rest = String::new();
        let mut segments = Vec::with_capacity(layout.rest.len());
        for range in &layout.rest {
            segments.push((rest.len() as u32, range.start as u32));
            rest.push_str(&text[range.clone()]);
        }
        if rest.is_empty() {
            self.rest = None;
            return None;
        }
        let key = RestKey {
            is_root,
            text: rest.into_boxed_str(),
        };
        let parsed = match self.rest.take() {
            Some((cached, parsed)) if cached == key => parsed,
            _ => {
                self.last.parsed += 1;
                let path = if is_root { ROOT_FILE_NAME } else { ENTRY_PATH };
                Arc::new(parse_piece(path, &key.text))
            }
        };
        self.rest = Some((key, parsed.clone()));
        Some((parsed, segments))
    }

    /// The entry pieces of a text whose layout was carried over from the previous text's: the
    /// previous pieces, but the one that changed, which is parsed (or found in the cache).
    fn entry_pieces_after_edit(
        &mut self,
        text: &str,
        layout: &Layout,
        previous: Previous,
        changed: Option<usize>,
    ) -> Vec<Arc<Parsed>> {
        let mut entries = previous.entries;
        if let Some(i) = changed {
            let key_of = |text: &str, piece: &EntryPiece| -> Box<str> {
                [&text[piece.header.clone()], &text[piece.body.clone()]]
                    .concat()
                    .into_boxed_str()
            };
            self.entries
                .remove(&key_of(&previous.text, &previous.layout.entries[i]));
            let key = key_of(text, &layout.entries[i]);
            let parsed = match self.entries.get(&key) {
                Some(parsed) => parsed.clone(),
                None => {
                    self.last.parsed += 1;
                    Arc::new(parse_piece(ENTRY_PATH, &key))
                }
            };
            self.entries.insert(key, parsed.clone());
            entries[i] = parsed;
        }
        entries
    }

    /// The entry pieces parsed, in file order; those not cached are parsed on all cores. The cache
    /// keeps this read's pieces only.
    fn entry_pieces(&mut self, text: &str, pieces: &[EntryPiece]) -> Vec<Arc<Parsed>> {
        let keys: Vec<Box<str>> = pieces
            .iter()
            .map(|piece| {
                let mut key = String::with_capacity(piece.header.len() + piece.body.len());
                key.push_str(&text[piece.header.clone()]);
                key.push_str(&text[piece.body.clone()]);
                key.into_boxed_str()
            })
            .collect();
        let mut old = std::mem::take(&mut self.entries);
        let mut found: Vec<Option<Arc<Parsed>>> = keys.iter().map(|k| old.remove(k)).collect();
        let missing: Vec<usize> = (0..keys.len()).filter(|&i| found[i].is_none()).collect();
        let parsed =
            crate::parallel::map(&missing, |&i| Arc::new(parse_piece(ENTRY_PATH, &keys[i])));
        self.last.parsed += parsed.len();
        for (i, parsed) in missing.into_iter().zip(parsed) {
            found[i] = Some(parsed);
        }
        let found: Vec<Arc<Parsed>> = found
            .into_iter()
            .map(|p| p.expect("every piece parsed"))
            .collect();
        self.entries = keys.into_iter().zip(found.iter().cloned()).collect();
        found
    }
}

/// Where a stretch of a piece's text starts: in the piece, and in the file.
type Stretch = (u32, u32);

/// An entry piece's model placed in the file: its spans moved to where the piece stands. The
/// model is shared with every file read that has the same piece at the same place; the ignore
/// comments go to the file's own part (each piece repeats its section's key line, and with it any
/// ignore comment there, which the file holds once).
struct Placed {
    /// Holds the piece, whose address is part of the key this is cached under.
    _piece: Arc<Parsed>,
    id: FileId,
    part: Arc<FilePart>,
    suppressions: Vec<crate::model::Suppression>,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    syntax_issues: Vec<crate::syntax::SyntaxIssue>,
}

impl Placed {
    fn new(parsed: &Arc<Parsed>, id: FileId, piece: &EntryPiece) -> Placed {
        let header = (piece.header.end - piece.header.start) as u32;
        let segments = [
            (0, piece.header.start as u32),
            (header, piece.body.start as u32),
        ];
        let mut moved = |span: &mut Span| move_span(span, id, &segments);
        let file = &parsed.file;
        let mut part = file.part.clone();
        part.each_span(&mut moved);
        let suppressions = std::mem::take(&mut part.suppressions);
        Placed {
            _piece: parsed.clone(),
            id,
            part: Arc::new(part),
            suppressions,
            diagnostics: moved_all(&file.diagnostics, &mut moved),
            syntax_issues: moved_all(&file.syntax_issues, &mut moved),
        }
    }
}

fn moved_all<T: Clone + HasSpans>(items: &[T], moved: &mut impl FnMut(&mut Span)) -> Vec<T> {
    items
        .iter()
        .map(|item| {
            let mut item = item.clone();
            item.each_span(moved);
            item
        })
        .collect()
}

/// The file being put together from its pieces.
struct Assembly {
    source: SourceFile,
    part: FilePart,
    pieces: Vec<Arc<FilePart>>,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    syntax_issues: Vec<crate::syntax::SyntaxIssue>,
}

impl Assembly {
    fn new(id: FileId, path: &str, text: &Arc<str>) -> Assembly {
        Assembly {
            source: SourceFile::new(id, path, text.clone()),
            part: FilePart::default(),
            pieces: Vec::new(),
            diagnostics: Vec::new(),
            syntax_issues: Vec::new(),
        }
    }

    /// Adds the rest, whose stretches start at `segments` (piece offset, file offset), in order.
    fn add_rest(&mut self, piece: &ParsedFile, segments: &[(u32, u32)]) {
        let id = self.source.id;
        let mut moved = |span: &mut Span| move_span(span, id, segments);
        let mut part = piece.part.clone();
        part.each_span(&mut moved);
        self.part.append(part);
        self.diagnostics
            .extend(moved_all(&piece.diagnostics, &mut moved));
        self.syntax_issues
            .extend(moved_all(&piece.syntax_issues, &mut moved));
    }

    fn add_entry(&mut self, entry: &Placed) {
        self.pieces.push(entry.part.clone());
        self.part
            .suppressions
            .extend(entry.suppressions.iter().cloned());
        self.diagnostics.extend(entry.diagnostics.iter().cloned());
        self.syntax_issues
            .extend(entry.syntax_issues.iter().cloned());
    }

    /// Puts things in file order and merges what each entry piece repeats of its section's key
    /// line: a finding there once, and an ignore comment there covering the whole section.
    fn finish(mut self, layout: &Layout) -> ParsedFile {
        let in_header = |span: Span| {
            layout.entries.iter().any(|e| {
                e.header.start <= span.start as usize && (span.start as usize) < e.header.end
            })
        };
        let mut seen = Vec::new();
        self.diagnostics.retain(|d| {
            if !in_header(d.span) {
                return true;
            }
            let first = !seen.contains(d);
            if first {
                seen.push(d.clone());
            }
            first
        });
        self.syntax_issues.sort_by_cached_key(issue_start);
        self.syntax_issues.dedup();
        let suppressions = &mut self.part.suppressions;
        suppressions.sort_by_key(|s| s.comment.start);
        suppressions.dedup_by(|later, earlier| {
            let same = later.comment == earlier.comment;
            if same {
                earlier.scope = earlier.scope.cover(later.scope);
            }
            same
        });
        ParsedFile::in_pieces(
            self.source,
            None,
            self.syntax_issues,
            self.part,
            self.pieces,
            self.diagnostics,
        )
    }
}

fn issue_start(issue: &crate::syntax::SyntaxIssue) -> u32 {
    let mut start = u32::MAX;
    issue
        .clone()
        .each_span(&mut |span: &mut Span| start = start.min(span.start));
    start
}

/// Moves a span of a piece to the file: each offset by the stretch it lies in (an end by the
/// stretch of the byte before it, so that a span ending at a stretch's end stays in it).
fn move_span(span: &mut Span, file: FileId, segments: &[(u32, u32)]) {
    // Pieces have few stretches (an entry piece two): a scan from the end beats a binary search.
    let at = |offset: u32| {
        let (piece, in_file) = segments
            .iter()
            .rev()
            .find(|s| s.0 <= offset)
            .copied()
            .unwrap_or(segments[0]);
        in_file + (offset - piece)
    };
    let start = at(span.start);
    let end = if span.end > span.start {
        at(span.end - 1) + 1
    } else {
        start
    };
    *span = Span { file, start, end };
}
