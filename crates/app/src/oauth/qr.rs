//! The device grant's verification address as a QR code, so a phone can open it without
//! typing. It is built here, not in the UI, because the window may not fetch or run a QR
//! library from anywhere and the matrix is the same for the CLI.

use qrcode::{Color, QrCode};

/// The QR code for `text` as rows of its module matrix, `'1'` dark and `'0'` light, without
/// the quiet zone (the renderer adds it). Empty when `text` is too long for any QR version.
pub(crate) fn qr_rows(text: &str) -> Vec<String> {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return Vec::new();
    };
    let colors = code.to_colors();
    colors
        .chunks(code.width())
        .map(|row| {
            row.iter()
                .map(|c| if *c == Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::qr_rows;

    /// A finder pattern: 7×7, dark ring, light ring, dark 3×3 centre.
    fn finder_at(rows: &[Vec<bool>], top: usize, left: usize) -> bool {
        (0..7).all(|y| {
            (0..7).all(|x| {
                let ring = x.min(y).min(6 - x).min(6 - y);
                rows[top + y][left + x] == (ring != 1)
            })
        })
    }

    fn modules(rows: &[String]) -> Vec<Vec<bool>> {
        rows.iter()
            .map(|r| r.chars().map(|c| c == '1').collect())
            .collect()
    }

    #[test]
    fn the_matrix_is_square_with_a_finder_pattern_in_three_corners() {
        let rows = qr_rows("http://127.0.0.1:4000/device?user_code=WDJB-MJHT");
        let m = modules(&rows);
        let n = m.len();
        assert!(n > 0);
        assert!(m.iter().all(|r| r.len() == n), "not square");
        assert!(finder_at(&m, 0, 0), "top left");
        assert!(finder_at(&m, 0, n - 7), "top right");
        assert!(finder_at(&m, n - 7, 0), "bottom left");
        assert!(!finder_at(&m, n - 7, n - 7), "bottom right has none");
    }

    #[test]
    fn the_size_follows_the_version_the_address_length_needs() {
        // Byte mode at error correction M holds 14 bytes in version 1, 26 in version 2, 122
        // in version 7 and 152 in version 8; a version-v symbol is 17 + 4v modules wide.
        let short = "https://x.io/dev";
        assert_eq!(short.len(), 16);
        assert_eq!(qr_rows(short).len(), 17 + 4 * 2);
        let long = format!(
            "https://login.example.com/activate?user_code={}",
            "q".repeat(80)
        );
        assert_eq!(long.len(), 125);
        assert_eq!(qr_rows(&long).len(), 17 + 4 * 8);
    }

    #[test]
    fn an_address_too_long_for_any_version_gives_no_code() {
        assert!(qr_rows(&"x".repeat(4000)).is_empty());
    }
}
