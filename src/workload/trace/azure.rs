//! The Azure Public Dataset readers, V1 (2017) and V2 (2019) (being written).

use super::{TraceError, TraceFiles, TraceReader};

/// Opens an Azure V1 trace.
pub fn open_v1(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Err(TraceError::new(&files.main, None, None, "this trace format is not readable yet"))
}

/// Opens an Azure V2 trace.
pub fn open_v2(files: &TraceFiles) -> Result<Box<dyn TraceReader>, TraceError> {
    Err(TraceError::new(&files.main, None, None, "this trace format is not readable yet"))
}
