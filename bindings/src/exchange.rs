//! Sync, backup and clinician export on `Engine`: moving one runner's history between
//! their own devices without a server (DESIGN.md §5). Every method here touches disk and
//! may take a second or more on a large history: call it off the main thread.

use std::path::Path;

use talus_core::store::{FolderSync, StoreImport};
use talus_core::sync::{clinician_export, segment_head, ConflictReport};
use uuid::Uuid;

use crate::engine::Engine;
use crate::error::TalusError;
use crate::records::instant;

/// A segment file that could not be used, and why (nothing of it was applied).
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct RejectedFile {
    /// The file's path.
    pub path: String,
    /// Why it was skipped, in English (for a details screen and logs).
    pub reason: String,
}

/// Another device whose clock is more than a day ahead: its changes were merged, its clock
/// was not adopted. Worth telling the runner ("your tablet's clock is 3 days ahead").
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ClockDrift {
    /// The other device's id.
    pub device_id: String,
    /// How far ahead its clock is.
    pub ahead_ms: i64,
}

/// What a sync, import or restore did.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, uniffi::Record)]
pub struct SyncReport {
    /// Segments applied (including ones that brought nothing new).
    pub segments: i32,
    /// Changes received that this device did not have.
    pub new_changes: i32,
    /// Records added, changed or removed on this device.
    pub records_written: i32,
    /// Records kept because an edit on one device came after a delete on another
    /// (`kind id`), so no history was silently lost.
    pub kept_after_delete: Vec<String>,
    /// Devices whose clock is more than a day ahead.
    pub clock_drift: Vec<ClockDrift>,
    /// Received records this version cannot store (kept for a later version).
    pub unstorable: Vec<String>,
    /// The segment file this device wrote into the folder, if it had anything new.
    pub written_path: Option<String>,
    /// Changes in the written file.
    pub written_changes: i32,
    /// Files in the folder that were damaged or unreadable.
    pub rejected: Vec<RejectedFile>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<StoreImport> for SyncReport {
    fn from(r: StoreImport) -> Self {
        SyncReport {
            segments: count(r.segments),
            new_changes: count(r.new_ops),
            records_written: count(r.entities_written),
            kept_after_delete: r
                .conflicts
                .iter()
                .map(|c| match c {
                    ConflictReport::EditBeatDelete { entity, id, .. } => {
                        format!("{} {id}", entity.as_str())
                    }
                })
                .collect(),
            clock_drift: r
                .drift
                .iter()
                .map(|d| ClockDrift {
                    device_id: d.device.map(|u| u.to_string()).unwrap_or_default(),
                    ahead_ms: i64::try_from(d.ahead_ms).unwrap_or(i64::MAX),
                })
                .collect(),
            unstorable: r.unstorable,
            ..SyncReport::default()
        }
    }
}

impl From<FolderSync> for SyncReport {
    fn from(f: FolderSync) -> Self {
        SyncReport {
            written_path: f.written.map(|p| p.to_string_lossy().into_owned()),
            written_changes: count(f.written_ops),
            rejected: f
                .rejected
                .into_iter()
                .map(|(path, reason)| RejectedFile {
                    path: path.to_string_lossy().into_owned(),
                    reason,
                })
                .collect(),
            ..SyncReport::from(f.imported)
        }
    }
}

/// The clinician export: four CSV tables and one JSON document with the same columns
/// (documented in `docs/export-format.md`), local times with their zone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct ClinicianExport {
    /// Morning and post-run check-ins.
    pub checkins_csv: String,
    /// Pain per set.
    pub set_pain_csv: String,
    /// Knee-to-wall results.
    pub knee_to_wall_csv: String,
    /// Runs.
    pub runs_csv: String,
    /// All of the above as one JSON document.
    pub json: String,
}

/// A device whose changes this profile holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DeviceSeen {
    /// The device's id.
    pub device_id: String,
    /// This is the device the profile is open on.
    pub this_device: bool,
    /// When the newest change from that device held here was made (its clock).
    pub latest_change_ms: i64,
    /// When this device last received changes from it (this device's clock); `None` for
    /// this device and for a device only heard of through a third one.
    pub last_exchange_ms: Option<i64>,
}

/// The sync screen: which devices have contributed to this profile, how recent their
/// latest change here is, when this device last exchanged with each, and the latest folder
/// exchange with the files it skipped and why. (The full report of one exchange, with
/// clock drift and edits kept after deletes, is the `SyncReport` that `sync_folder`
/// returns.)
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct SyncStatus {
    /// This device's id.
    pub device_id: String,
    /// Every device seen, this one first, then the most recently heard from.
    pub devices: Vec<DeviceSeen>,
    /// When the latest `sync_folder` ran on this device; `None` if it never did.
    pub last_folder_sync_ms: Option<i64>,
    /// The folder of that exchange.
    pub last_folder: Option<String>,
    /// Files that exchange skipped (damaged, half-downloaded, not a segment file), with why.
    pub skipped: Vec<RejectedFile>,
}

fn peer_id(text: &str) -> Result<Uuid, TalusError> {
    Uuid::parse_str(text).map_err(|_| TalusError::bad_id("device id is not a UUID"))
}

#[uniffi::export]
impl Engine {
    /// This device's id; other devices name it when exporting for it.
    pub fn device_id(&self) -> String {
        self.store().device_id().to_string()
    }

    /// The sync screen: the devices this profile holds changes from (time of the newest
    /// change of each, when this device last received from it) and the latest folder
    /// exchange with the files it skipped. Touches disk.
    pub fn sync_status(&self) -> Result<SyncStatus, TalusError> {
        let me = self.store().device_id();
        let seen = self.store().sync_seen()?;
        let log = self.store().sync_log()?;
        let mut devices: Vec<DeviceSeen> = seen
            .iter()
            .map(|(device, hlc)| DeviceSeen {
                device_id: device.to_string(),
                this_device: *device == me,
                latest_change_ms: i64::try_from(hlc.wall_ms).unwrap_or(i64::MAX),
                last_exchange_ms: log.received_ms.get(device).copied(),
            })
            .collect();
        talus_core::order::sort_by_key(&mut devices, |d| {
            (!d.this_device, std::cmp::Reverse(d.latest_change_ms))
        });
        let folder = log.last_folder;
        Ok(SyncStatus {
            device_id: me.to_string(),
            devices,
            last_folder_sync_ms: folder.as_ref().map(|f| f.at_ms),
            last_folder: folder.as_ref().map(|f| f.dir.clone()),
            skipped: folder
                .map(|f| {
                    f.skipped
                        .into_iter()
                        .map(|(path, reason)| RejectedFile { path, reason })
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// One exchange through a folder all the runner's devices can see (a cloud-drive
    /// folder): writes this device's new changes as one file and merges every other
    /// device's files. Damaged files are listed in `rejected`; the rest still syncs.
    /// Touches disk.
    pub fn sync_folder(&self, dir: String, now_ms: i64) -> Result<SyncReport, TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self.store().sync_folder(Path::new(&dir), now)?.into())
    }

    /// Everything the device `peer_device_id` has not told this device it has seen, as one
    /// segment (bytes to hand over by any channel). Touches disk.
    pub fn export_for_device(&self, peer_device_id: String) -> Result<Vec<u8>, TalusError> {
        let segment = self
            .store()
            .encoded_segment_for_peer(peer_id(&peer_device_id)?)?;
        Ok(segment.bytes)
    }

    /// Merges a segment received from another device. A damaged, truncated or tampered
    /// segment, or one from a newer format, is refused and nothing changes; importing the
    /// same segment twice changes nothing. Touches disk.
    pub fn import_segment(&self, bytes: Vec<u8>, now_ms: i64) -> Result<SyncReport, TalusError> {
        let now = instant(now_ms, "now")?;
        // The header, digest and watermarks are checked first so a damaged or newer-format
        // file gets its typed error; the ops are then decoded and stored one at a time.
        segment_head(&bytes)?;
        Ok(self.store().import_segment_bytes(&bytes, now)?.into())
    }

    /// Writes a full backup (all history plus the catalog version) into `dir`; returns the
    /// file's path. Touches disk.
    pub fn write_backup(&self, dir: String) -> Result<String, TalusError> {
        let path = self
            .store()
            .write_backup(Path::new(&dir), self.catalog().version())?;
        Ok(path.to_string_lossy().into_owned())
    }

    /// Restores every backup or segment file in `dir` into this profile (merging with what
    /// is there). Any damaged file refuses the whole restore. Touches disk.
    pub fn restore_backup(&self, dir: String, now_ms: i64) -> Result<SyncReport, TalusError> {
        let now = instant(now_ms, "now")?;
        Ok(self.store().restore_backup(Path::new(&dir), now)?.into())
    }

    /// Pain check-ins, per-set pain, knee-to-wall results and runs in `[from_ms, to_ms)`
    /// for a clinician, with local times in each record's zone (`zone` for records whose
    /// zone is unknown). Touches disk.
    pub fn clinician_export(
        &self,
        from_ms: i64,
        to_ms: i64,
        zone: String,
    ) -> Result<ClinicianExport, TalusError> {
        let from = instant(from_ms, "from")?;
        let to = instant(to_ms, "to")?;
        if to < from {
            return Err(TalusError::invalid("export window ends before it starts"));
        }
        let mut history = self.store().history(from, to)?;
        // The store adds earlier knee-to-wall results for trends; the export is the window.
        history.rom.retain(|m| m.at >= from && m.at < to);
        let files = clinician_export(&history, Some(self.catalog()), &zone)?;
        Ok(ClinicianExport {
            checkins_csv: files.checkins_csv,
            set_pain_csv: files.set_pain_csv,
            knee_to_wall_csv: files.rom_csv,
            runs_csv: files.runs_csv,
            json: files.json,
        })
    }
}
