//! `ScenarioError`: what was wrong with a scenario, and where (file, line, column, field).

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

/// A scenario that could not be read, parsed or validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The scenario file, or the `--set key=value` argument at fault.
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key (or key name) at fault, when known.
    pub field: Option<String>,
    /// What was found and what was expected.
    pub message: String,
}

impl std::error::Error for ScenarioError {}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", clip(&self.message, MAX_MESSAGE))
    }
}

/// The longest message an error shows (a 10 MB line is quoted by its start, not whole).
pub const MAX_MESSAGE: usize = 400;

/// `text` cut to at most `max` characters, with an ellipsis and the length left out.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}… ({} more bytes)", &text[..end], text.len() - end).into(),
    }
}

/// Locates byte offsets in the scenario text, to turn spans into line and column.
#[derive(Debug, Clone)]
pub struct SourceMap {
    pub file: PathBuf,
    pub text: String,
}

impl SourceMap {
    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
        (line, col)
    }

    /// An error placed at `span` (an empty span means "no place in the file", e.g. a default).
    pub fn error_at(
        &self,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        let (line, column) = if span.is_empty() && span.start == 0 {
            (None, None)
        } else {
            let (l, c) = self.line_col(span.start);
            (Some(l), Some(c))
        };
        ScenarioError {
            file: self.file.clone(),
            line,
            column,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// An error with no place in the file.
    pub fn error(&self, field: Option<&str>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: self.file.clone(),
            line: None,
            column: None,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    /// Converts a TOML parse or schema error, naming the key on the offending line.
    pub fn from_toml(&self, err: &toml::de::Error) -> ScenarioError {
        let message = err.message().trim().to_string();
        let Some(span) = err.span() else {
            return self.error(None, message);
        };
        let (line, column) = self.line_col(span.start);
        ScenarioError {
            file: self.file.clone(),
            line: Some(line),
            column: Some(column),
            field: self.key_near(span),
            message,
        }
    }

    /// The key a span belongs to: the span itself when it is a bare key, else the key before `=`.
    pub(crate) fn key_near(&self, span: Range<usize>) -> Option<String> {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        let inside = self.text[start..end].trim();
        let is_key = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        };
        if is_key(inside) && !matches!(inside, "true" | "false" | "inf" | "nan") {
            return Some(inside.to_string());
        }
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line = &self.text[line_start..line_end];
        let before_value = &self.text[line_start..start];
        let eq = before_value.rfind('=')?;
        let key_part = before_value[..eq].trim_end();
        let key = key_part
            .rsplit(|c: char| c == '{' || c == ',' || c.is_whitespace())
            .next()?
            .trim();
        (is_key(key) && !line.trim_start().starts_with('#')).then(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> SourceMap {
        SourceMap {
            file: "s.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn long_messages_are_clipped() {
        assert_eq!(clip("abc", 5), "abc");
        // 10 'x' cut after 4: the 6 bytes left are counted.
        assert_eq!(clip(&"x".repeat(10), 4), "xxxx… (6 more bytes)");
    }

    #[test]
    fn line_and_column_are_one_based() {
        let m = map("a = 1\nbb = 2\n");
        assert_eq!(m.line_col(0), (1, 1));
        assert_eq!(m.line_col(6), (2, 1));
        assert_eq!(m.line_col(11), (2, 6));
    }

    #[test]
    fn finds_the_key_of_a_value() {
        let text = "[x]\npower = { idle_w = -5, max_w = 3 }\n";
        let m = map(text);
        let at = text.find("-5").unwrap();
        assert_eq!(m.key_near(at..at + 2).as_deref(), Some("idle_w"));
        let at = text.find("power").unwrap();
        assert_eq!(m.key_near(at..at + 5).as_deref(), Some("power"));
    }
}
