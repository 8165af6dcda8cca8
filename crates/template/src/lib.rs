//! `{{variable}}` templating (being written).
