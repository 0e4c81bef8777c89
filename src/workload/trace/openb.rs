//! The `openb` trace reader (being written).

use super::{TraceError, TraceFiles, TraceReader};

/// Opens the reader.
pub fn open(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Err(TraceError::new(&files.main, None, None, "this trace format is not readable yet"))
}
