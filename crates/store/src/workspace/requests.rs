//! Reading and saving single files: requests, collection and folder settings, environments, and
//! the chain of settings a request inherits. Every save checks the revision the caller read, so
//! an edit made on disk in the meantime is a conflict, and moves secret values to the store.

use std::fs;

use sextant_model::{Environment, FolderSettings, SavedRequest};

use super::atomic::{revision_of, Mode};
use super::format::{from_yaml, to_yaml, EnvironmentFile, RequestFile, SecretsIn, SecretsOut};
use super::paths::{slugify, unique_child, Rel, ENVIRONMENTS_DIR, EXT};
use super::secrets::SecretStore;
use super::{EnvironmentEntry, LoadedEnvironment, LoadedFolder, LoadedRequest, Saved, Workspace};
use crate::StoreError;

impl Workspace {
    /// Reads a request file (`<collection>/.../<name>.yaml`), secrets filled in.
    pub fn read_request(&self, path: &str) -> Result<LoadedRequest, StoreError> {
        let rel = Rel::parse(path)?;
        rel.expect_request()?;
        let bytes = self.read_inside(&rel)?;
        let file: RequestFile = from_yaml(path, &bytes)?;
        let snapshot = self.secrets.load()?;
        let lookup = SecretStore::scoped(&snapshot, path);
        let mut secrets = SecretsIn::new(&lookup);
        let request = file.into_model(&mut secrets);
        Ok(LoadedRequest {
            path: rel.to_string(),
            request,
            revision: revision_of(&bytes),
            missing_secrets: secrets.missing,
        })
    }

    /// Saves a request at `path`. With `Some(revision)` the file must still have that revision
    /// (else `Conflict`); with `None` it is created and must not exist (else `AlreadyExists`).
    /// Its folder must exist. Saving what is already there writes nothing.
    pub fn save_request(
        &self,
        path: &str,
        request: &SavedRequest,
        expected_revision: Option<&str>,
    ) -> Result<Saved, StoreError> {
        let rel = Rel::parse(path)?;
        rel.expect_request()?;
        let mut secrets = SecretsOut::default();
        let bytes = to_yaml(&RequestFile::from_model(request, &mut secrets)).into_bytes();
        self.save_file(&rel, &bytes, &secrets, expected_revision)
    }

    /// Creates a request in `folder` (a collection or folder path), in a file named after the
    /// request (`<slug>.yaml`, `-2`, `-3`... when taken).
    pub fn create_request(
        &self,
        folder: &str,
        request: &SavedRequest,
    ) -> Result<Saved, StoreError> {
        let dir = self.existing_folder(folder)?;
        let name = unique_child(
            &self.abs(&dir),
            dir.depth(),
            &slugify(&request.name),
            EXT,
            None,
        )?;
        self.save_request(&dir.child(&name).to_string(), request, None)
    }

    /// A collection's (`<collection>`) or folder's name, settings and order.
    pub fn read_folder_settings(&self, dir: &str) -> Result<LoadedFolder, StoreError> {
        let rel = Rel::parse(dir)?;
        rel.expect_folder()?;
        let (file, revision) = self.read_folder_file(&rel)?;
        let snapshot = self.secrets.load()?;
        let key = rel.settings_file().to_string();
        let lookup = SecretStore::scoped(&snapshot, &key);
        let mut secrets = SecretsIn::new(&lookup);
        let settings = file.settings(&mut secrets);
        Ok(LoadedFolder {
            path: rel.to_string(),
            name: file.name.clone(),
            settings,
            order: file.order.clone(),
            revision,
            missing_secrets: secrets.missing,
        })
    }

    /// Replaces a collection's or folder's settings, keeping its name and order. The settings
    /// file must still have `expected_revision` ([`super::ABSENT_REVISION`] when it had none).
    pub fn save_folder_settings(
        &self,
        dir: &str,
        settings: &FolderSettings,
        expected_revision: &str,
    ) -> Result<Saved, StoreError> {
        let rel = Rel::parse(dir)?;
        rel.expect_folder()?;
        let settings_file = rel.settings_file();
        self.check_revision(&settings_file, expected_revision)?;
        let (mut file, _) = self.read_folder_file(&rel)?;
        let mut secrets = SecretsOut::default();
        file.set_settings(settings, &mut secrets);
        self.secrets
            .replace_file(&settings_file.to_string(), &secrets.values)?;
        let revision = self.write_folder_file(&rel, &file)?;
        Ok(Saved {
            path: settings_file.to_string(),
            revision,
        })
    }

    /// The settings a request inherits, outermost first: the collection's, then each folder's
    /// down to the request's own folder. (Precedence is the template crate's business.)
    pub fn inherited_settings(
        &self,
        request_path: &str,
    ) -> Result<Vec<FolderSettings>, StoreError> {
        let rel = Rel::parse(request_path)?;
        rel.expect_request()?;
        let snapshot = self.secrets.load()?;
        let mut chain = Vec::new();
        for depth in 1..rel.depth() {
            let dir = Rel::from_parts(rel.parts()[..depth].to_vec());
            let (file, _) = self.read_folder_file(&dir)?;
            let key = dir.settings_file().to_string();
            let lookup = SecretStore::scoped(&snapshot, &key);
            chain.push(file.settings(&mut SecretsIn::new(&lookup)));
        }
        Ok(chain)
    }

    /// The environment files of a collection, sorted by file name. A file that does not parse
    /// is listed with its error.
    pub fn list_environments(&self, collection: &str) -> Result<Vec<EnvironmentEntry>, StoreError> {
        let rel = Rel::parse(collection)?;
        if rel.depth() != 1 {
            return Err(StoreError::InvalidPath {
                path: collection.to_string(),
                reason: "not a collection".to_string(),
            });
        }
        if !self.abs(&rel).is_dir() {
            return Err(StoreError::NotFound {
                path: collection.to_string(),
            });
        }
        let dir = rel.child(ENVIRONMENTS_DIR);
        let abs = self.abs(&dir);
        let mut names = Vec::new();
        match fs::read_dir(&abs) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.map_err(|e| StoreError::io(&abs, e))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !name.starts_with('.') && name.ends_with(EXT) && entry.path().is_file() {
                        names.push(name);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&abs, e)),
        }
        names.sort();
        Ok(names
            .into_iter()
            .map(|name| {
                let path = dir.child(&name).to_string();
                let parsed = self
                    .read_inside(&dir.child(&name))
                    .and_then(|bytes| from_yaml::<EnvironmentFile>(&path, &bytes));
                match parsed {
                    Ok(file) => EnvironmentEntry {
                        name: file.name().to_string(),
                        path,
                        error: None,
                    },
                    Err(e) => EnvironmentEntry {
                        name,
                        path,
                        error: Some(e.to_string()),
                    },
                }
            })
            .collect())
    }

    /// Reads an environment file (`<collection>/environments/<name>.yaml`), secrets filled in.
    pub fn read_environment(&self, path: &str) -> Result<LoadedEnvironment, StoreError> {
        let rel = Rel::parse(path)?;
        rel.expect_environment()?;
        let bytes = self.read_inside(&rel)?;
        let file: EnvironmentFile = from_yaml(path, &bytes)?;
        let snapshot = self.secrets.load()?;
        let lookup = SecretStore::scoped(&snapshot, path);
        let mut secrets = SecretsIn::new(&lookup);
        let environment = file.into_model(&mut secrets);
        Ok(LoadedEnvironment {
            path: rel.to_string(),
            environment,
            revision: revision_of(&bytes),
            missing_secrets: secrets.missing,
        })
    }

    /// Saves an environment; `expected_revision` as for [`Workspace::save_request`]. The
    /// `environments` folder is created when needed.
    pub fn save_environment(
        &self,
        path: &str,
        environment: &Environment,
        expected_revision: Option<&str>,
    ) -> Result<Saved, StoreError> {
        let rel = Rel::parse(path)?;
        rel.expect_environment()?;
        let collection = Rel::parse(rel.collection())?;
        if !self.abs(&collection).is_dir() {
            return Err(StoreError::NotFound {
                path: collection.to_string(),
            });
        }
        let env_dir = self.abs(&collection.child(ENVIRONMENTS_DIR));
        fs::create_dir_all(&env_dir).map_err(|e| StoreError::io(&env_dir, e))?;
        let mut secrets = SecretsOut::default();
        let bytes = to_yaml(&EnvironmentFile::from_model(environment, &mut secrets)).into_bytes();
        self.save_file(&rel, &bytes, &secrets, expected_revision)
    }

    /// Creates an environment in a collection, in a file named after it.
    pub fn create_environment(
        &self,
        collection: &str,
        environment: &Environment,
    ) -> Result<Saved, StoreError> {
        let rel = Rel::parse(collection)?;
        let dir = rel.child(ENVIRONMENTS_DIR);
        let name = unique_child(
            &self.abs(&dir),
            dir.depth(),
            &slugify(&environment.name),
            EXT,
            None,
        )?;
        self.save_environment(&dir.child(&name).to_string(), environment, None)
    }

    /// A collection or folder path that exists.
    pub(crate) fn existing_folder(&self, dir: &str) -> Result<Rel, StoreError> {
        let rel = Rel::parse(dir)?;
        rel.expect_folder()?;
        if !self.abs(&rel).is_dir() {
            return Err(StoreError::NotFound {
                path: dir.to_string(),
            });
        }
        Ok(rel)
    }

    /// The common part of every file save: revision check, secrets, atomic write.
    fn save_file(
        &self,
        rel: &Rel,
        bytes: &[u8],
        secrets: &SecretsOut,
        expected_revision: Option<&str>,
    ) -> Result<Saved, StoreError> {
        let abs = self.abs(rel);
        if let Some(parent) = rel.parent() {
            if !self.abs(&parent).is_dir() {
                return Err(StoreError::NotFound {
                    path: parent.to_string(),
                });
            }
        }
        let path = rel.to_string();
        let mode = match expected_revision {
            Some(expected) => {
                self.check_revision(rel, expected)?;
                if revision_of(bytes) == expected {
                    self.secrets.replace_file(&path, &secrets.values)?;
                    return Ok(Saved {
                        path,
                        revision: expected.to_string(),
                    });
                }
                Mode::Replace
            }
            None => {
                if abs.symlink_metadata().is_ok() {
                    return Err(StoreError::AlreadyExists { path });
                }
                Mode::CreateNew
            }
        };
        // Secrets first: a crash in between may leave the old file with the new secret values,
        // but never a file whose secret marker has no value stored.
        self.secrets.replace_file(&path, &secrets.values)?;
        let revision = self.write(rel, bytes, mode)?;
        Ok(Saved { path, revision })
    }
}
