//! "Save…" on a binary frame of the session log: the bytes the window holds for it (the log's
//! lowercase hex, which is the whole payload up to the log's preview size, and only its start
//! past it) written to a path the user chose, atomically as a saved body is (temp beside it,
//! fsync, rename, fsync the folder).

use std::io::Write as _;
use std::path::Path;

use sextant_model::{ApiError, ErrorCode};

use crate::body_export::{create_temp, SaveBodyError};
use crate::App;

/// The most hex a frame's save accepts: twice the largest preview the log carries, with room.
const MAX_HEX_CHARS: usize = 4 * 1024 * 1024;

/// The bytes of the log's hex (whitespace allowed), or why it is not hex.
pub(crate) fn bytes_of_hex(hex: &str) -> Result<Vec<u8>, ApiError> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() > MAX_HEX_CHARS {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!("a frame to save holds at most {} hex digits", MAX_HEX_CHARS),
        ));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            "the frame's hex has an odd number of digits",
        ));
    }
    let digit = |d: u8| (d as char).to_digit(16);
    digits
        .chunks(2)
        .map(|pair| match (digit(pair[0]), digit(pair[1])) {
            (Some(hi), Some(lo)) => Ok((hi * 16 + lo) as u8),
            _ => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the frame's data is not hex (only binary frames can be saved as bytes)",
            )),
        })
        .collect()
}

/// Writes `bytes` to `destination` (absolute, replaced if it exists) atomically.
fn write_atomically(bytes: &[u8], destination: &Path) -> Result<u64, SaveBodyError> {
    if !destination.is_absolute() {
        return Err(SaveBodyError::RelativePath(destination.to_path_buf()));
    }
    if destination.is_dir() {
        return Err(SaveBodyError::IsFolder(destination.to_path_buf()));
    }
    let (parent, name) = match (destination.parent(), destination.file_name()) {
        (Some(parent), Some(name)) => (parent, name.to_string_lossy()),
        _ => return Err(SaveBodyError::IsFolder(destination.to_path_buf())),
    };
    let write_err = |source| SaveBodyError::Write {
        path: destination.to_path_buf(),
        source,
    };
    let (temp_path, mut temp) = create_temp(parent, &name).map_err(write_err)?;
    let written = (|| {
        temp.write_all(bytes)?;
        temp.sync_all()?;
        drop(temp);
        std::fs::rename(&temp_path, destination)?;
        std::fs::File::open(parent)?.sync_all()?;
        Ok(bytes.len() as u64)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp_path);
        write_err(e)
    })
}

impl App {
    /// Writes the bytes of a binary frame, given as the log's hex, to `destination`; returns
    /// how many bytes were written.
    pub async fn ws_save_frame(&self, hex: &str, destination: &Path) -> Result<u64, ApiError> {
        let bytes = bytes_of_hex(hex)?;
        let destination = destination.to_path_buf();
        tokio::task::spawn_blocking(move || write_atomically(&bytes, &destination))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("saving the frame: {e}")))?
            .map_err(ApiError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_becomes_the_exact_bytes_and_bad_hex_is_refused() {
        assert_eq!(bytes_of_hex("00ff 10\n7f").unwrap(), vec![0, 255, 16, 127]);
        assert_eq!(bytes_of_hex("").unwrap(), Vec::<u8>::new());
        assert_eq!(
            bytes_of_hex("abc").unwrap_err().code,
            ErrorCode::InvalidRequest
        );
        assert_eq!(
            bytes_of_hex("zz").unwrap_err().code,
            ErrorCode::InvalidRequest
        );
        let huge = "0".repeat(MAX_HEX_CHARS + 2);
        assert_eq!(bytes_of_hex(&huge).unwrap_err().code, ErrorCode::TooLarge);
    }

    #[test]
    fn writes_the_bytes_replacing_a_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("frame.bin");
        std::fs::write(&dest, b"old contents").unwrap();
        let bytes: Vec<u8> = (0..=255u8).collect();
        assert_eq!(write_atomically(&bytes, &dest).unwrap(), 256);
        assert_eq!(std::fs::read(&dest).unwrap(), bytes);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["frame.bin".to_owned()]);
        assert!(matches!(
            write_atomically(&bytes, Path::new("rel.bin")),
            Err(SaveBodyError::RelativePath(_))
        ));
        assert!(matches!(
            write_atomically(&bytes, dir.path()),
            Err(SaveBodyError::IsFolder(_))
        ));
    }
}
