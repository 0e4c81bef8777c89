//! CSV lines formatted by hand into one reused buffer, byte for byte what `csv::Writer`
//! serialising the same values writes (integers by itoa, floats by ryu, text quoted only when
//! it holds a comma, a quote or a line break), for the tables written a row per workload.

/// One line being built: fields are appended, each after a comma but the first.
#[derive(Debug, Default)]
pub struct CsvLine {
    buf: Vec<u8>,
    fields: usize,
    /// The last float ryu formatted (its bits, and where its text starts and ends in `buf`
    /// when it was written on this line): a row's placement time is often its arrival time.
    last: Option<(u64, usize, usize)>,
}

/// Integral floats below this print as their integer and ".0" (ryu's output for them).
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0; // 2^53

impl CsvLine {
    /// Starts a new line (the buffer's allocation is kept).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.fields = 0;
        self.last = None;
    }

    /// The line so far, with its terminating newline once `end` was called.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    pub fn u64(&mut self, v: u64) {
        self.sep();
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// A float as ryu formats it; integral values (the common cores, GiB and zero waits) skip
    /// ryu's shortest-digits search.
    pub fn f64(&mut self, v: f64) {
        self.sep();
        // Integral below 2^53 exactly when the value survives a round trip through i64 (a
        // cast, where `fract` is a libm call on this target); NaN fails the comparison.
        if v.abs() < EXACT_INTEGER && (v as i64) as f64 == v && !(v == 0.0 && v.is_sign_negative())
        {
            self.buf
                .extend_from_slice(itoa::Buffer::new().format(v as i64).as_bytes());
            self.buf.extend_from_slice(b".0");
        } else if let Some((_, from, to)) = self.last.filter(|l| l.0 == v.to_bits()) {
            self.buf.extend_from_within(from..to);
        } else {
            let from = self.buf.len();
            self.buf
                .extend_from_slice(ryu::Buffer::new().format(v).as_bytes());
            self.last = Some((v.to_bits(), from, self.buf.len()));
        }
    }

    /// An empty field (what `csv` writes for `None`).
    pub fn empty(&mut self) {
        self.sep();
    }

    /// Text, in double quotes (inner quotes doubled) when it holds `,`, `"`, CR or LF.
    pub fn str(&mut self, s: &str) {
        self.sep();
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    /// Ends the line.
    pub fn end(&mut self) {
        self.buf.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::CsvLine;

    #[derive(serde::Serialize)]
    struct Row<'a> {
        n: u64,
        x: f64,
        s: &'a str,
        o: Option<f64>,
    }

    /// What csv::Writer writes for one row (its header dropped).
    fn by_csv(row: &Row) -> String {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.serialize(row).unwrap();
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn by_hand(row: &Row) -> String {
        let mut l = CsvLine::default();
        l.u64(row.n);
        l.f64(row.x);
        l.str(row.s);
        match row.o {
            Some(v) => l.f64(v),
            None => l.empty(),
        }
        l.end();
        String::from_utf8(l.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn lines_are_what_the_csv_crate_writes() {
        let mut floats = vec![
            0.0,
            -0.0,
            1.0,
            -3.0,
            0.5,
            249.98519,
            1e15,
            1e16,
            123_456_789_012_345.6,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            9_007_199_254_740_994.0,
            1e-7,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Pseudo-random bit patterns and integers of every magnitude.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..20_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            floats.push(f64::from_bits(state));
            floats.push((state >> (i % 64)) as f64);
            floats.push((state % 10_000_000) as f64 / 1e3);
        }
        let texts = [
            "",
            "transient",
            "a,b",
            "say \"hi\"",
            "cr\rlf\n",
            "#x",
            " pad ",
        ];
        for (i, &x) in floats.iter().enumerate() {
            let row = Row {
                n: (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                x,
                s: texts[i % texts.len()],
                // The same float twice on a line (copied from the first) or another one.
                o: match i % 3 {
                    0 => None,
                    1 => Some(x),
                    _ => Some(x * 0.5),
                },
            };
            assert_eq!(by_hand(&row), by_csv(&row), "{x:e}");
        }
    }
}
