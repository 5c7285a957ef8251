//! The content-stream walker: runs a page's operators (text, graphics state, form XObjects)
//! and collects every shown character with its position, plus how much of the page images cover.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::encoding::expand_ligature;
use super::font::Font;
use super::objects::{get, matrix, resolve, resolve_dict, resolve_number, stream_content};

/// Depth of the `q`/`Q` graphics state stack kept (deeper pushes are ignored).
const MAX_STATE_STACK: usize = 256;

/// A 2D affine matrix `[a b c d e f]` as in PDF: `x' = a x + c y + e`, `y' = b x + d y + f`.
pub type Matrix = [f32; 6];

/// The identity matrix.
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `second` (PDF order: `first × second`).
pub fn multiply(first: &Matrix, second: &Matrix) -> Matrix {
    [
        first[0] * second[0] + first[1] * second[2],
        first[0] * second[1] + first[1] * second[3],
        first[2] * second[0] + first[3] * second[2],
        first[2] * second[1] + first[3] * second[3],
        first[4] * second[0] + first[5] * second[2] + second[4],
        first[4] * second[1] + first[5] * second[3] + second[5],
    ]
}

/// Applies `m` to the point `(x, y)`.
fn transform_point(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// Whether the points of a closed straight-line path are the corners of an axis-aligned
/// rectangle (4 corners, or 5 with the first repeated): a box drawn with `m l l l h`.
fn is_axis_aligned_rectangle(points: &[(f32, f32)]) -> bool {
    if !(4..=5).contains(&points.len()) {
        return false;
    }
    let min_x = points.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
    let max_x = points.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max);
    let min_y = points.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
    let max_y = points.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    let near = |a: f32, b: f32| (a - b).abs() < 0.5;
    let on_corner = |(x, y): &(f32, f32)| {
        (near(*x, min_x) || near(*x, max_x)) && (near(*y, min_y) || near(*y, max_y))
    };
    let corners = [
        (min_x, min_y),
        (max_x, min_y),
        (min_x, max_y),
        (max_x, max_y),
    ];
    points.iter().all(on_corner)
        && corners.iter().all(|corner| {
            points
                .iter()
                .any(|p| near(p.0, corner.0) && near(p.1, corner.1))
        })
}

/// Whether fill colour operands (gray, RGB or CMYK components) make a dark colour: a
/// luminance below 0.35. A pattern (a name among the operands) is not.
fn is_dark_colour(components: &[f32], operand_count: usize) -> bool {
    if components.len() != operand_count {
        return false;
    }
    let luminance = match components {
        [gray] => *gray,
        [red, green, blue] => 0.299 * red + 0.587 * green + 0.114 * blue,
        [cyan, magenta, yellow, black] => {
            let white = 1.0 - black;
            0.299 * (1.0 - cyan) * white
                + 0.587 * (1.0 - magenta) * white
                + 0.114 * (1.0 - yellow) * white
        }
        _ => return false,
    };
    luminance < 0.35
}

/// Applies the linear part of `m` to the vector `(x, y)`.
fn transform_vector(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y, m[1] * x + m[3] * y)
}

/// One shown character in default user space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextChar {
    /// Origin of the glyph (on the baseline).
    pub x: f32,
    /// Origin of the glyph (on the baseline).
    pub y: f32,
    /// Advance along the baseline direction.
    pub width: f32,
    /// Font size in user space (height of the em square).
    pub size: f32,
    /// The character (ligatures are already expanded; a space marks a word break).
    pub character: char,
    /// Baseline direction: 0 = left to right, 1 = bottom to top, 2 = right to left
    /// (upside down), 3 = top to bottom.
    pub direction: u8,
}

/// A dark, opaque filled rectangle of the page (a redaction box, or what looks like one): its bounding box in default user space and how many
/// characters had been shown when it was drawn (those are the ones it can cover).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilledShape {
    /// `[x0, y0, x1, y1]`.
    pub bounds: [f32; 4],
    /// Characters shown before the fill.
    pub chars_before: usize,
}

/// Most fills kept per page (a map of a million tiny paths is not a redaction).
pub const MAX_FILLS_PER_PAGE: usize = 10_000;

/// What a page's content streams showed.
#[derive(Debug, Default)]
pub struct PageContent {
    /// Every character shown, in content-stream order.
    pub chars: Vec<TextChar>,
    /// Non-space characters whose text came from a trustworthy mapping.
    pub reliable_chars: usize,
    /// Non-space characters whose text is a guess or missing (no ToUnicode, unknown glyphs).
    pub unreliable_chars: usize,
    /// Area of the page box covered by images (sum, clipped per image to the page box).
    pub image_area: f32,
    /// Why extraction stopped early, if it did.
    pub problem: Option<String>,
    /// Decoded bytes of the page's content streams.
    pub content_bytes: usize,
    /// The page's content is larger than the decompression limit (a Flate bomb?).
    pub over_stream_limit: bool,
    /// Opaque filled shapes, in content-stream order (they may cover text shown before them;
    /// see [`super::redaction`]).
    pub fills: Vec<FilledShape>,
}

/// Limits for one page walk.
#[derive(Debug, Clone, Copy)]
pub struct WalkLimits {
    /// Operators processed before the page is cut short.
    pub max_operations: usize,
    /// Form XObject nesting followed.
    pub max_xobject_depth: usize,
    /// Characters collected before the page is cut short.
    pub max_chars: usize,
    /// Largest decompressed stream.
    pub max_stream_bytes: usize,
}

/// Fonts loaded once per document, shared by the pages (and threads) that use them.
#[derive(Debug, Default)]
pub struct FontCache {
    fonts: Mutex<HashMap<ObjectId, Arc<Font>>>,
}

impl FontCache {
    /// The font at `id`, loaded on first use.
    fn get_or_load(&self, doc: &Document, id: ObjectId, max_bytes: usize) -> Arc<Font> {
        if let Ok(fonts) = self.fonts.lock() {
            if let Some(font) = fonts.get(&id) {
                return Arc::clone(font);
            }
        }
        let font = match doc
            .objects
            .get(&id)
            .and_then(|object| resolve_dict(doc, object))
        {
            Some(dictionary) => Font::load(doc, dictionary, max_bytes),
            None => Font::fallback(),
        };
        let font = Arc::new(font);
        if let Ok(mut fonts) = self.fonts.lock() {
            fonts.insert(id, Arc::clone(&font));
        }
        font
    }
}

/// Graphics and text state saved by `q` and restored by `Q`.
#[derive(Debug, Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
    /// Fills are opaque (no `/ca` below 1, no blend mode but Normal in the `gs` state).
    opaque_fill: bool,
    /// The fill colour is dark (black, or near it): a box of it hides text.
    dark_fill: bool,
}

impl Default for GraphicsState {
    fn default() -> Self {
        GraphicsState {
            ctm: IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            opaque_fill: true,
            dark_fill: true,
        }
    }
}

/// The walker's state across one page and its form XObjects.
struct Walker<'a> {
    doc: &'a Document,
    fonts: &'a FontCache,
    limits: WalkLimits,
    page_box: [f32; 4],
    state: GraphicsState,
    stack: Vec<GraphicsState>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    operations: usize,
    /// Form XObjects being walked (to refuse self-reference).
    forms_in_progress: Vec<ObjectId>,
    output: PageContent,
    scratch: String,
    stopped: bool,
    /// Bounding box of the path being built, in default user space.
    path_bounds: Option<[f32; 4]>,
    /// The path being built is one rectangle (`re`) and nothing else.
    path_is_one_rectangle: bool,
    /// The points of the path being built when it is one subpath of straight lines (`m`,
    /// `l`), in default user space; `None` once it is anything else.
    path_polygon: Option<Vec<(f32, f32)>>,
}

/// Walks the content of page `page_id` and collects its characters. `page_box` is
/// `[x0, y0, x1, y1]` of the crop box; characters outside it are dropped.
pub fn walk_page(
    doc: &Document,
    page_id: ObjectId,
    page_box: [f32; 4],
    fonts: &FontCache,
    limits: WalkLimits,
) -> PageContent {
    let mut walker = Walker {
        doc,
        fonts,
        limits,
        page_box,
        state: GraphicsState::default(),
        stack: Vec::new(),
        text_matrix: IDENTITY,
        line_matrix: IDENTITY,
        operations: 0,
        forms_in_progress: Vec::new(),
        output: PageContent::default(),
        scratch: String::new(),
        stopped: false,
        path_bounds: None,
        path_is_one_rectangle: false,
        path_polygon: None,
    };
    let resources = page_resources(doc, page_id);
    let content = match doc.get_page_content_with_limit(page_id, limits.max_stream_bytes) {
        Ok(content) => content,
        Err(error) => {
            walker.output.over_stream_limit = matches!(
                error,
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
            );
            walker.output.problem = Some(format!("page content not readable: {error}"));
            return walker.output;
        }
    };
    walker.output.content_bytes = content.len();
    walker.run(&content, &resources, 0);
    walker.output
}

/// The resource dictionaries of a page, nearest first (the page, then inherited ones).
fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut result = Vec::new();
    let Ok((direct, ids)) = doc.get_page_resources(page_id) else {
        // lopdf refuses a page tree with a loop or beyond its depth limit on the way up
        // (`/Parent` pointing at the page itself): use the page's own resources.
        let own = doc
            .objects
            .get(&page_id)
            .and_then(|object| resolve_dict(doc, object))
            .and_then(|page| get(doc, page, b"Resources"))
            .and_then(|object| match object {
                Object::Dictionary(dictionary) => Some(dictionary),
                _ => None,
            });
        result.extend(own);
        return result;
    };
    if let Some(direct) = direct {
        result.push(direct);
    }
    for id in ids {
        if let Some(dictionary) = doc
            .objects
            .get(&id)
            .and_then(|object| resolve_dict(doc, object))
        {
            result.push(dictionary);
        }
    }
    result
}

/// Looks up `name` in the resource category `category` (`Font`, `XObject`) of the first
/// resource dictionary that has it. Returns the raw entry (often a reference).
fn lookup_resource<'a>(
    doc: &'a Document,
    resources: &[&'a Dictionary],
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    for dictionary in resources {
        let Some(Object::Dictionary(entries)) = get(doc, dictionary, category) else {
            continue;
        };
        if let Ok(entry) = entries.get(name) {
            return Some(entry);
        }
    }
    None
}

impl<'a> Walker<'a> {
    /// Runs the operators of one content stream with `resources`.
    fn run(&mut self, content: &[u8], resources: &[&'a Dictionary], depth: usize) {
        for operation in Content::decode_iter(content) {
            if self.stopped {
                return;
            }
            let Ok(operation) = operation else {
                if self.output.problem.is_none() {
                    self.output.problem =
                        Some("content stream has a syntax error; the rest was skipped".to_string());
                }
                return;
            };
            self.operations += 1;
            if self.operations > self.limits.max_operations {
                self.output.problem = Some(format!(
                    "page cut short after {} content operators",
                    self.limits.max_operations
                ));
                self.stopped = true;
                return;
            }
            self.apply(&operation, resources, depth);
        }
    }

    /// Applies one operator.
    fn apply(&mut self, operation: &Operation, resources: &[&'a Dictionary], depth: usize) {
        let operands = &operation.operands;
        let number = |index: usize| {
            operands
                .get(index)
                .and_then(|object| resolve_number(self.doc, object))
        };
        match operation.operator.as_str() {
            "q" if self.stack.len() < MAX_STATE_STACK => self.stack.push(self.state.clone()),
            "Q" => {
                if let Some(state) = self.stack.pop() {
                    self.state = state;
                }
            }
            "cm" => {
                if let Some(m) = operand_matrix(self.doc, operands) {
                    self.state.ctm = multiply(&m, &self.state.ctm);
                }
            }
            "BT" => {
                self.text_matrix = IDENTITY;
                self.line_matrix = IDENTITY;
            }
            "Tf" => {
                if let Some(size) = number(1) {
                    self.state.font_size = size;
                }
                if let Some(Object::Name(name)) = operands.first() {
                    self.state.font = Some(self.load_font(resources, name));
                }
            }
            "Tc" => self.state.char_spacing = number(0).unwrap_or(0.0),
            "Tw" => self.state.word_spacing = number(0).unwrap_or(0.0),
            "Tz" => self.state.horizontal_scale = number(0).unwrap_or(100.0) / 100.0,
            "TL" => self.state.leading = number(0).unwrap_or(0.0),
            "Ts" => self.state.rise = number(0).unwrap_or(0.0),
            "Td" => self.move_line(number(0).unwrap_or(0.0), number(1).unwrap_or(0.0)),
            "TD" => {
                let ty = number(1).unwrap_or(0.0);
                self.state.leading = -ty;
                self.move_line(number(0).unwrap_or(0.0), ty);
            }
            "Tm" => {
                if let Some(m) = operand_matrix(self.doc, operands) {
                    self.text_matrix = m;
                    self.line_matrix = m;
                }
            }
            "T*" => self.move_line(0.0, -self.state.leading),
            "Tj" => {
                if let Some(Object::String(bytes, _)) = operands.first() {
                    self.show(bytes);
                }
            }
            "'" => {
                self.move_line(0.0, -self.state.leading);
                if let Some(Object::String(bytes, _)) = operands.first() {
                    self.show(bytes);
                }
            }
            "\"" => {
                self.state.word_spacing = number(0).unwrap_or(self.state.word_spacing);
                self.state.char_spacing = number(1).unwrap_or(self.state.char_spacing);
                self.move_line(0.0, -self.state.leading);
                if let Some(Object::String(bytes, _)) = operands.get(2) {
                    self.show(bytes);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = operands.first() {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => self.show(bytes),
                            Object::Integer(_) | Object::Real(_) => {
                                let offset = resolve_number(self.doc, item).unwrap_or(0.0);
                                let tx = -offset / 1000.0
                                    * self.state.font_size
                                    * self.state.horizontal_scale;
                                self.advance(tx);
                            }
                            _ => {}
                        }
                    }
                }
            }
            "Do" => {
                if let Some(Object::Name(name)) = operands.first() {
                    self.draw_xobject(resources, name, depth);
                }
            }
            "BI" => {
                // An inline image: the unit square under the CTM.
                self.add_image_area();
            }
            other => self.apply_path(other, operands, resources),
        }
    }

    /// Path construction, fill colour, transparency (`gs`) and painting: the bounding box of
    /// the path, and a filled shape when one rectangle is filled dark and opaque.
    fn apply_path(&mut self, operator: &str, operands: &[Object], resources: &[&'a Dictionary]) {
        let numbers: Vec<f32> = operands
            .iter()
            .filter_map(|object| resolve_number(self.doc, object))
            .collect();
        match operator {
            "re" if numbers.len() == 4 => {
                self.path_is_one_rectangle = self.path_bounds.is_none();
                self.path_polygon = None;
                let [x, y, width, height] = [numbers[0], numbers[1], numbers[2], numbers[3]];
                for (px, py) in [
                    (x, y),
                    (x + width, y),
                    (x, y + height),
                    (x + width, y + height),
                ] {
                    self.extend_path(px, py);
                }
            }
            "m" | "l" | "c" | "v" | "y" => {
                let starts_path = self.path_bounds.is_none();
                self.path_is_one_rectangle = false;
                let mut points = Vec::new();
                for pair in numbers.chunks_exact(2) {
                    points.extend(self.extend_path(pair[0], pair[1]));
                }
                self.path_polygon = match (operator, starts_path, self.path_polygon.take()) {
                    ("m", true, _) => Some(points),
                    ("l", false, Some(mut polygon)) if polygon.len() < 8 => {
                        polygon.extend(points);
                        Some(polygon)
                    }
                    _ => None,
                };
            }
            "g" | "rg" | "k" | "sc" | "scn" => {
                self.state.dark_fill = is_dark_colour(&numbers, operands.len());
            }
            "cs" => self.state.dark_fill = true, // a new colour space starts black
            "gs" => {
                if let Some(Object::Name(name)) = operands.first() {
                    self.state.opaque_fill = self.graphics_state_is_opaque(resources, name);
                }
            }
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                // A redaction box is one filled rectangle; other filled paths (table borders
                // drawn as polygons, glyph outlines, charts) are not taken for one.
                let is_box = self.path_is_one_rectangle
                    || self
                        .path_polygon
                        .take()
                        .is_some_and(|polygon| is_axis_aligned_rectangle(&polygon));
                let hides = self.state.opaque_fill && self.state.dark_fill && is_box;
                self.path_is_one_rectangle = false;
                if let (Some(bounds), true) = (self.path_bounds.take(), hides) {
                    if self.output.fills.len() < MAX_FILLS_PER_PAGE {
                        self.output.fills.push(FilledShape {
                            bounds,
                            chars_before: self.output.chars.len(),
                        });
                    }
                }
            }
            "n" | "S" | "s" => {
                self.path_bounds = None;
                self.path_is_one_rectangle = false;
                self.path_polygon = None;
            }
            _ => {}
        }
    }

    /// Adds the point `(x, y)` (user space under the CTM) to the path's bounding box; returns
    /// it in default user space.
    fn extend_path(&mut self, x: f32, y: f32) -> Option<(f32, f32)> {
        let (px, py) = transform_point(&self.state.ctm, x, y);
        if !px.is_finite() || !py.is_finite() {
            return None;
        }
        let bounds = self.path_bounds.get_or_insert([px, py, px, py]);
        bounds[0] = bounds[0].min(px);
        bounds[1] = bounds[1].min(py);
        bounds[2] = bounds[2].max(px);
        bounds[3] = bounds[3].max(py);
        Some((px, py))
    }

    /// Whether the `ExtGState` resource `name` leaves fills opaque: no `/ca` below 1 and no
    /// blend mode but `Normal`/`Compatible`.
    fn graphics_state_is_opaque(&self, resources: &[&'a Dictionary], name: &[u8]) -> bool {
        let Some(entry) = lookup_resource(self.doc, resources, b"ExtGState", name) else {
            return self.state.opaque_fill;
        };
        let Some(dictionary) = resolve_dict(self.doc, entry) else {
            return self.state.opaque_fill;
        };
        let alpha = dictionary
            .get(b"ca")
            .ok()
            .and_then(|object| resolve_number(self.doc, object))
            .unwrap_or(1.0);
        let blend = dictionary
            .get(b"BM")
            .ok()
            .and_then(|object| resolve(self.doc, object).as_name().ok())
            .unwrap_or(b"Normal");
        alpha >= 0.99 && matches!(blend, b"Normal" | b"Compatible")
    }

    /// `Td`: moves to the start of the next line, offset from the start of the current one.
    fn move_line(&mut self, tx: f32, ty: f32) {
        self.line_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    /// Moves the text matrix `tx` along the baseline (text space).
    fn advance(&mut self, tx: f32) {
        self.text_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &self.text_matrix);
    }

    /// Loads the font resource `name`, or a fallback font when it is missing.
    fn load_font(&mut self, resources: &[&'a Dictionary], name: &[u8]) -> Arc<Font> {
        match lookup_resource(self.doc, resources, b"Font", name) {
            Some(Object::Reference(id)) => {
                self.fonts
                    .get_or_load(self.doc, *id, self.limits.max_stream_bytes)
            }
            Some(Object::Dictionary(dictionary)) => Arc::new(Font::load(
                self.doc,
                dictionary,
                self.limits.max_stream_bytes,
            )),
            _ => Arc::new(Font::fallback()),
        }
    }

    /// Shows a string: one character (or a few, for ligatures) per code, advancing the text
    /// matrix by each glyph's width plus character and word spacing.
    fn show(&mut self, bytes: &[u8]) {
        let font = match &self.state.font {
            Some(font) => Arc::clone(font),
            None => {
                let fallback = Arc::new(Font::fallback());
                self.state.font = Some(Arc::clone(&fallback));
                fallback
            }
        };
        let font_size = self.state.font_size;
        let horizontal_scale = self.state.horizontal_scale;
        let to_device = multiply(&self.text_matrix, &self.state.ctm);
        let (size_x, size_y) = transform_vector(&to_device, 0.0, font_size * font.size_scale);
        let size = (size_x * size_x + size_y * size_y).sqrt();
        let mut position = 0;
        while position < bytes.len() {
            if self.output.chars.len() >= self.limits.max_chars {
                self.output.problem = Some(format!(
                    "page cut short after {} characters",
                    self.limits.max_chars
                ));
                self.stopped = true;
                return;
            }
            let code = font.next_code(&bytes[position..]);
            position += code.length.max(1);
            let glyph_width = font.width(code) * font_size;
            let is_word_space = code.length == 1 && code.value == 32;
            let mut advance = glyph_width + self.state.char_spacing;
            if is_word_space {
                advance += self.state.word_spacing;
            }
            advance *= horizontal_scale;

            self.scratch.clear();
            let reliable = font.append_text(code, &mut self.scratch);
            if self.scratch.is_empty() && !reliable {
                // A glyph without any text still counts against the page's text quality.
                self.output.unreliable_chars += 1;
            }
            let to_device = multiply(&self.text_matrix, &self.state.ctm);
            let (x, y) = transform_point(&to_device, 0.0, self.state.rise);
            // The glyph's extent excludes character spacing: producers that letter-space with
            // `Tc` and take it back with `TJ` offsets would otherwise overlap every glyph.
            let (dx, dy) = transform_vector(&to_device, glyph_width * horizontal_scale, 0.0);
            let width = (dx * dx + dy * dy).sqrt();
            let direction = direction_of(dx, dy, size_x, size_y);
            self.push_text(x, y, dx, dy, width, size, direction, reliable);
            self.advance(advance);
        }
    }

    /// Adds the characters in `self.scratch` at `(x, y)`, sharing the glyph's width.
    #[allow(clippy::too_many_arguments)]
    fn push_text(
        &mut self,
        x: f32,
        y: f32,
        dx: f32,
        dy: f32,
        width: f32,
        size: f32,
        direction: u8,
        reliable: bool,
    ) {
        let [x0, y0, x1, y1] = self.page_box;
        let margin = size.max(1.0);
        if x < x0 - margin
            || x > x1 + margin
            || y < y0 - margin
            || y > y1 + margin
            || !x.is_finite()
            || !y.is_finite()
        {
            return;
        }
        let scratch = std::mem::take(&mut self.scratch);
        let mut expanded: Vec<char> = Vec::with_capacity(scratch.len());
        for character in scratch.chars() {
            match expand_ligature(character) {
                Some(letters) => expanded.extend(letters.chars()),
                None => expanded.push(character),
            }
        }
        let count = expanded.len().max(1) as f32;
        for (index, character) in expanded.into_iter().enumerate() {
            let character = match character {
                '\u{00A0}' | '\t' | '\u{2000}'..='\u{200A}' | '\u{3000}' => ' ',
                '\u{200B}'..='\u{200D}' | '\u{FEFF}' => continue,
                other => other,
            };
            let is_space = character == ' ';
            if !is_space {
                if reliable && !character.is_control() {
                    self.output.reliable_chars += 1;
                } else {
                    self.output.unreliable_chars += 1;
                }
            }
            if character.is_control() {
                continue;
            }
            let share = index as f32 / count;
            let char_x = x + dx * share;
            let char_y = y + dy * share;
            if !is_space && self.is_duplicate(char_x, char_y, character, size) {
                continue;
            }
            self.output.chars.push(TextChar {
                x: char_x,
                y: char_y,
                width: width / count,
                size,
                character,
                direction,
            });
        }
        self.scratch = scratch;
    }

    /// Whether the same character was just drawn at (nearly) the same spot: fake bold and
    /// shadow effects draw text twice.
    fn is_duplicate(&self, x: f32, y: f32, character: char, size: f32) -> bool {
        let along = size * 0.1;
        let across = size * 0.2;
        self.output.chars.iter().rev().take(24).any(|other| {
            other.character == character
                && (other.x - x).abs() < along
                && (other.y - y).abs() < across
        })
    }

    /// `Do`: follows a form XObject (bounded depth, no self-reference) or records an image.
    fn draw_xobject(&mut self, resources: &[&'a Dictionary], name: &[u8], depth: usize) {
        let Some(entry) = lookup_resource(self.doc, resources, b"XObject", name) else {
            return;
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Object::Stream(stream) = resolve(self.doc, entry) else {
            return;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|object| resolve(self.doc, object).as_name().ok());
        match subtype {
            Some(b"Image") => self.add_image_area(),
            Some(b"Form") => {
                if depth >= self.limits.max_xobject_depth {
                    if self.output.problem.is_none() {
                        self.output.problem =
                            Some("form XObjects nested too deep; inner ones skipped".to_string());
                    }
                    return;
                }
                if let Some(id) = id {
                    if self.forms_in_progress.contains(&id) {
                        return;
                    }
                    self.forms_in_progress.push(id);
                }
                let Some(content) = stream_content(
                    self.doc,
                    resolve(self.doc, entry),
                    self.limits.max_stream_bytes,
                ) else {
                    if id.is_some() {
                        self.forms_in_progress.pop();
                    }
                    return;
                };
                let form_matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|object| matrix(self.doc, object))
                    .unwrap_or(IDENTITY);
                let mut form_resources: Vec<&'a Dictionary> =
                    Vec::with_capacity(resources.len() + 1);
                if let Some(own) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|object| resolve_dict(self.doc, object))
                {
                    form_resources.push(own);
                }
                form_resources.extend_from_slice(resources);

                let saved_state = self.state.clone();
                let saved_stack_len = self.stack.len();
                let saved_text = (self.text_matrix, self.line_matrix);
                self.state.ctm = multiply(&form_matrix, &self.state.ctm);
                self.run(&content, &form_resources, depth + 1);
                self.state = saved_state;
                self.stack.truncate(saved_stack_len);
                (self.text_matrix, self.line_matrix) = saved_text;
                if id.is_some() {
                    self.forms_in_progress.pop();
                }
            }
            _ => {}
        }
    }

    /// Adds the area of the unit square under the CTM, clipped to the page box.
    fn add_image_area(&mut self) {
        let ctm = &self.state.ctm;
        let corners = [
            transform_point(ctm, 0.0, 0.0),
            transform_point(ctm, 1.0, 0.0),
            transform_point(ctm, 0.0, 1.0),
            transform_point(ctm, 1.0, 1.0),
        ];
        let [px0, py0, px1, py1] = self.page_box;
        let min_x = corners
            .iter()
            .map(|c| c.0)
            .fold(f32::INFINITY, f32::min)
            .max(px0);
        let max_x = corners
            .iter()
            .map(|c| c.0)
            .fold(f32::NEG_INFINITY, f32::max)
            .min(px1);
        let min_y = corners
            .iter()
            .map(|c| c.1)
            .fold(f32::INFINITY, f32::min)
            .max(py0);
        let max_y = corners
            .iter()
            .map(|c| c.1)
            .fold(f32::NEG_INFINITY, f32::max)
            .min(py1);
        if max_x > min_x
            && max_y > min_y
            && (max_x - min_x).is_finite()
            && (max_y - min_y).is_finite()
        {
            self.output.image_area += (max_x - min_x) * (max_y - min_y);
        }
    }
}

/// Reads six number operands as a matrix.
fn operand_matrix(doc: &Document, operands: &[Object]) -> Option<Matrix> {
    if operands.len() < 6 {
        return None;
    }
    let mut m = [0.0f32; 6];
    for (slot, operand) in m.iter_mut().zip(operands) {
        *slot = resolve_number(doc, operand)?;
    }
    Some(m)
}

/// Classifies the baseline direction `(dx, dy)` (or, for zero-width glyphs, the direction
/// perpendicular to the glyph's up vector) into one of four directions.
fn direction_of(dx: f32, dy: f32, up_x: f32, up_y: f32) -> u8 {
    let (bx, by) = if dx.abs() + dy.abs() > 1e-6 {
        (dx, dy)
    } else {
        (up_y, -up_x)
    };
    if bx.abs() >= by.abs() {
        if bx >= 0.0 {
            0
        } else {
            2
        }
    } else if by >= 0.0 {
        1
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_multiplication_composes_translation_and_scale() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let translate = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        // Scale first, then translate.
        let m = multiply(&scale, &translate);
        assert_eq!(transform_point(&m, 1.0, 1.0), (12.0, 22.0));
        let m = multiply(&translate, &scale);
        assert_eq!(transform_point(&m, 1.0, 1.0), (22.0, 42.0));
    }

    #[test]
    fn directions() {
        assert_eq!(direction_of(1.0, 0.0, 0.0, 1.0), 0);
        assert_eq!(direction_of(0.0, 1.0, -1.0, 0.0), 1);
        assert_eq!(direction_of(-1.0, 0.0, 0.0, -1.0), 2);
        assert_eq!(direction_of(0.0, -1.0, 1.0, 0.0), 3);
        assert_eq!(direction_of(0.0, 0.0, 0.0, 1.0), 0);
    }
}
