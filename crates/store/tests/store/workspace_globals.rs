//! Global variables in `globals.yaml`: round trip, secrets kept out of the file, conflicts.

use sextant_model::Variable;
use sextant_store::workspace::{Workspace, ABSENT_REVISION, GLOBALS_FILE};
use sextant_store::StoreError;

#[test]
fn globals_round_trip_without_their_secrets_and_refuse_a_stale_save() {
    let root = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::open(root.path(), data.path()).unwrap();

    let empty = ws.read_globals().unwrap();
    assert!(empty.variables.is_empty());
    assert_eq!(empty.revision, ABSENT_REVISION);

    let vars = vec![
        Variable::new("region", "eu"),
        Variable::secret("apiKey", "glob4l-s3cret-value"),
    ];
    let saved = ws.save_globals(&vars, ABSENT_REVISION).unwrap();
    let text = std::fs::read_to_string(root.path().join(GLOBALS_FILE)).unwrap();
    assert!(text.contains("region"), "{text}");
    assert!(!text.contains("glob4l-s3cret-value"), "{text}");

    let again = Workspace::open(root.path(), data.path()).unwrap();
    let read = again.read_globals().unwrap();
    assert_eq!(read.variables, vars);
    assert_eq!(read.revision, saved.revision);
    // Saving the same again writes a byte-identical file.
    again.save_globals(&vars, &read.revision).unwrap();
    assert_eq!(
        std::fs::read_to_string(root.path().join(GLOBALS_FILE)).unwrap(),
        text
    );

    std::fs::write(root.path().join(GLOBALS_FILE), "name: Globals\n").unwrap();
    let err = again.save_globals(&vars, &read.revision).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    // The globals file is not a collection.
    assert!(again.list_tree().unwrap().is_empty());
}
