//! History sync between a runner's own devices: the op-log model, hybrid logical clocks,
//! segments, merge, backup and clinician export.

mod op;

pub use op::*;
