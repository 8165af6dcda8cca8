//! WebSocket sessions in the history: the frames of one connection (a preview of each, up to
//! the cap the caller chose) beside its entry, and read back for the read-only session view.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sextant_model::{
    WsCloseInitiator, WsDirection, WsFrame, WsOpcode, WsRecording, WsSessionSummary,
};

use super::History;
use crate::error::StoreError;
use crate::open::classify;

fn direction_str(d: WsDirection) -> &'static str {
    match d {
        WsDirection::Sent => "sent",
        WsDirection::Received => "received",
    }
}

fn opcode_str(o: WsOpcode) -> &'static str {
    match o {
        WsOpcode::Text => "text",
        WsOpcode::Binary => "binary",
        WsOpcode::Ping => "ping",
        WsOpcode::Pong => "pong",
        WsOpcode::Close => "close",
    }
}

fn initiator_str(i: WsCloseInitiator) -> &'static str {
    match i {
        WsCloseInitiator::Client => "client",
        WsCloseInitiator::Server => "server",
        WsCloseInitiator::Abnormal => "abnormal",
    }
}

fn parse_initiator(text: Option<&str>) -> Result<Option<WsCloseInitiator>, StoreError> {
    match text {
        None => Ok(None),
        Some("client") => Ok(Some(WsCloseInitiator::Client)),
        Some("server") => Ok(Some(WsCloseInitiator::Server)),
        Some("abnormal") => Ok(Some(WsCloseInitiator::Abnormal)),
        Some(other) => Err(invalid("close initiator", other)),
    }
}

/// The most entries one [`History::ws_summaries`] call looks up (a page of the list is 100).
pub const MAX_SUMMARY_IDS: usize = 500;

fn invalid(what: &str, value: &str) -> StoreError {
    StoreError::InvalidEntry(format!("unknown WebSocket {what} {value:?} in the history"))
}

fn int(n: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::InvalidEntry(format!("{what} {n}")))
}

impl History {
    /// Stores the frames and the end of the WebSocket session recorded as entry `entry_id`
    /// (whose `entry_id` field is ignored), in one transaction.
    pub fn record_ws_session(
        &self,
        entry_id: i64,
        recording: &WsRecording,
    ) -> Result<(), StoreError> {
        let total = int(recording.total_frames, "frame count")?;
        let cap = int(recording.frame_cap, "frame cap")?;
        let frames = recording
            .frames
            .iter()
            .map(|f| {
                Ok((
                    int(f.seq, "seq")?,
                    int(f.at_ms, "time")?,
                    int(f.size, "size")?,
                    f,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut conn = self.lock();
        (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached(
                "INSERT INTO ws_sessions (entry_id, frames_total, frame_cap, close_code,
                    close_reason, initiator)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                entry_id,
                total,
                cap,
                recording.close_code,
                recording.close_reason,
                recording.initiator.map(initiator_str),
            ])?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO ws_frames (entry_id, seq, direction, opcode, at_ms, size, data,
                        truncated)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for (seq, at_ms, size, f) in &frames {
                    insert.execute(params![
                        entry_id,
                        seq,
                        direction_str(f.direction),
                        opcode_str(f.opcode),
                        at_ms,
                        size,
                        f.data,
                        f.truncated,
                    ])?;
                }
            }
            tx.commit()
        })()
        .map_err(|e| classify(self.path(), e))
    }

    /// The recorded WebSocket session of entry `entry_id`, or `None` when that entry is not
    /// one (or is gone).
    pub fn ws_session(&self, entry_id: i64) -> Result<Option<WsRecording>, StoreError> {
        let conn = self.lock();
        let head = conn
            .prepare_cached(
                "SELECT frames_total, frame_cap, close_code, close_reason, initiator
                 FROM ws_sessions WHERE entry_id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([entry_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<u16>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| classify(self.path(), e))?;
        let Some((total, cap, close_code, close_reason, initiator)) = head else {
            return Ok(None);
        };
        let rows = conn
            .prepare_cached(
                "SELECT seq, direction, opcode, at_ms, size, data, truncated
                 FROM ws_frames WHERE entry_id = ?1 ORDER BY seq",
            )
            .and_then(|mut s| {
                s.query_map([entry_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, bool>(6)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| classify(self.path(), e))?;
        let frames = rows
            .into_iter()
            .map(|(seq, direction, opcode, at_ms, size, data, truncated)| {
                Ok(WsFrame {
                    seq: seq.max(0) as u64,
                    direction: match direction.as_str() {
                        "sent" => WsDirection::Sent,
                        "received" => WsDirection::Received,
                        other => return Err(invalid("direction", other)),
                    },
                    opcode: match opcode.as_str() {
                        "text" => WsOpcode::Text,
                        "binary" => WsOpcode::Binary,
                        "ping" => WsOpcode::Ping,
                        "pong" => WsOpcode::Pong,
                        "close" => WsOpcode::Close,
                        other => return Err(invalid("opcode", other)),
                    },
                    at_ms: at_ms.max(0) as u64,
                    size: size.max(0) as u64,
                    data,
                    truncated,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let initiator = parse_initiator(initiator.as_deref())?;
        Ok(Some(WsRecording {
            entry_id,
            frames,
            total_frames: total.max(0) as u64,
            frame_cap: cap.max(0) as u64,
            close_code,
            close_reason,
            initiator,
        }))
    }

    /// How the recorded WebSocket sessions among `entry_ids` went (frame count and close, no
    /// frames), for the history list's rows; ids that are not sessions are left out. At most
    /// [`MAX_SUMMARY_IDS`] ids are looked up.
    pub fn ws_summaries(&self, entry_ids: &[i64]) -> Result<Vec<WsSessionSummary>, StoreError> {
        let ids = &entry_ids[..entry_ids.len().min(MAX_SUMMARY_IDS)];
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(",");
        let conn = self.lock();
        let rows = conn
            .prepare(&format!(
                "SELECT entry_id, frames_total, close_code, close_reason, initiator
                 FROM ws_sessions WHERE entry_id IN ({marks}) ORDER BY entry_id DESC"
            ))
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(ids), |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<u16>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| classify(self.path(), e))?;
        rows.into_iter()
            .map(|(entry_id, total, close_code, close_reason, initiator)| {
                Ok(WsSessionSummary {
                    entry_id,
                    total_frames: total.max(0) as u64,
                    close_code,
                    close_reason,
                    initiator: parse_initiator(initiator.as_deref())?,
                })
            })
            .collect()
    }
}
