//! Rows for `COPY … FROM STDIN` in PostgreSQL's text format: a bulk load sends a batch of rows
//! as one stream instead of a statement with thousands of parameters (which the server plans
//! again at every execution during a load: `plan_cache_mode = force_custom_plan`).
//!
//! The format: one line a row, columns separated by a tab, `\N` for NULL, and a backslash,
//! tab, newline or carriage return inside a value written as `\\`, `\t`, `\n`, `\r`; every
//! other character as it is. The server parses each column as its type, as it parses a text
//! parameter.

use rusqlite::types::Value;

/// Rows in COPY's text format, built one value at a time.
#[derive(Debug, Default)]
pub struct CopyRows {
    buf: Vec<u8>,
    rows: usize,
    /// Whether the row under way has a value yet (the next one is preceded by a tab).
    started: bool,
}

impl CopyRows {
    pub fn new() -> CopyRows {
        CopyRows::default()
    }

    /// The rows ended so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The stream as the server reads it.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    fn next_column(&mut self) {
        if self.started {
            self.buf.push(b'\t');
        }
        self.started = true;
    }

    /// A text value, escaped.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.next_column();
        for b in s.bytes() {
            // Multi-byte UTF-8 never holds these bytes, so escaping byte by byte is exact.
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                b => self.buf.push(b),
            }
        }
        self
    }

    pub fn int(&mut self, i: i64) -> &mut Self {
        self.next_column();
        self.buf.extend_from_slice(i.to_string().as_bytes());
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.next_column();
        self.buf.extend_from_slice(b"\\N");
        self
    }

    /// A value of the facade's model. A real is written as Rust prints it (the shortest text
    /// that reads back as the same number); a blob is refused: no import column holds one.
    pub fn value(&mut self, v: &Value) -> Result<&mut Self, String> {
        Ok(match v {
            Value::Null => self.null(),
            Value::Integer(i) => self.int(*i),
            Value::Real(f) => {
                self.next_column();
                self.buf.extend_from_slice(f.to_string().as_bytes());
                self
            }
            Value::Text(s) => self.text(s),
            Value::Blob(_) => return Err("a blob cannot be copied as text".into()),
        })
    }

    /// Ends the row under way.
    pub fn end_row(&mut self) {
        self.buf.push(b'\n');
        self.rows += 1;
        self.started = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_as_the_text_format_reads_them() {
        let mut rows = CopyRows::new();
        rows.text("a\tb\\c\nd\re").null().int(-42);
        rows.end_row();
        rows.text("\\N").text("\\.").text("").text("Zoë 小龍");
        rows.end_row();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            std::str::from_utf8(rows.bytes()).unwrap(),
            "a\\tb\\\\c\\nd\\re\t\\N\t-42\n\\\\N\t\\\\.\t\tZoë 小龍\n"
        );
        let mut one = CopyRows::new();
        one.value(&Value::Real(2.5)).unwrap();
        assert!(one.value(&Value::Blob(vec![1])).is_err());
    }
}
