//! Global variables: one `globals.yaml` at the workspace root, in the environment file format,
//! shared by every collection (the lowest precedence of all variables). Secret values go to the
//! secret store like everywhere else.

use sextant_model::{Environment, Variable};

use super::atomic::{revision_of, Mode};
use super::format::{from_yaml, to_yaml, EnvironmentFile, SecretsIn, SecretsOut};
use super::paths::Rel;
use super::secrets::SecretStore;
use super::{Saved, Workspace, ABSENT_REVISION};
use crate::StoreError;

/// The globals file, at the workspace root.
pub const GLOBALS_FILE: &str = "globals.yaml";

/// The global variables and the revision a save must match ([`ABSENT_REVISION`] when the file
/// does not exist yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedGlobals {
    pub variables: Vec<Variable>,
    pub revision: String,
}

impl Workspace {
    pub fn read_globals(&self) -> Result<LoadedGlobals, StoreError> {
        let rel = Rel::from_parts(vec![GLOBALS_FILE.to_owned()]);
        let bytes = match self.read_inside(&rel) {
            Ok(bytes) => bytes,
            Err(StoreError::NotFound { .. }) => {
                return Ok(LoadedGlobals {
                    variables: Vec::new(),
                    revision: ABSENT_REVISION.to_owned(),
                })
            }
            Err(e) => return Err(e),
        };
        let file: EnvironmentFile = from_yaml(GLOBALS_FILE, &bytes)?;
        let snapshot = self.secrets.load()?;
        let lookup = SecretStore::scoped(&snapshot, GLOBALS_FILE);
        let environment = file.into_model(&mut SecretsIn::new(&lookup));
        Ok(LoadedGlobals {
            variables: environment.variables,
            revision: revision_of(&bytes),
        })
    }

    /// Replaces the global variables; the file must still have `expected_revision`.
    pub fn save_globals(
        &self,
        variables: &[Variable],
        expected_revision: &str,
    ) -> Result<Saved, StoreError> {
        let rel = Rel::from_parts(vec![GLOBALS_FILE.to_owned()]);
        self.check_revision(&rel, expected_revision)?;
        let environment = Environment {
            name: "Globals".into(),
            variables: variables.to_vec(),
        };
        let mut secrets = SecretsOut::default();
        let bytes = to_yaml(&EnvironmentFile::from_model(&environment, &mut secrets)).into_bytes();
        self.secrets.replace_file(GLOBALS_FILE, &secrets.values)?;
        let revision = self.write(&rel, &bytes, Mode::Replace)?;
        Ok(Saved {
            path: GLOBALS_FILE.to_owned(),
            revision,
        })
    }
}
