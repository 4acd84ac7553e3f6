//! Media files (mission covers, example images, videos) through one storage service,
//! backed by `object_store`: a local directory by default, an S3-compatible bucket by
//! configuration (a build with the `s3` feature). Keys are `t{tenant}/{random}.{ext}`:
//! every file is under its tenant's prefix, and the random part is unguessable. What a
//! file is and who may fetch it is a `media` row (`services::missions::media`); this
//! module only moves bytes.

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::config::{StorageBackend, StorageSettings};
use crate::domain::TenantId;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("storage: {0}")]
    Setup(String),
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    /// The store the settings name; a local directory (relative to `root`, the folder
    /// holding `config/`) is created if missing.
    pub fn from_settings(
        settings: &StorageSettings,
        root: &std::path::Path,
    ) -> Result<Self, StorageError> {
        let store: Arc<dyn ObjectStore> = match settings.backend {
            StorageBackend::Local => {
                let dir = root.join(&settings.path);
                std::fs::create_dir_all(&dir).map_err(|e| {
                    StorageError::Setup(format!("cannot create {}: {e}", dir.display()))
                })?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
            StorageBackend::S3 => s3(settings)?,
        };
        Ok(Storage { store })
    }

    /// Stores a new file for the tenant and returns its key.
    pub async fn put(
        &self,
        tenant: TenantId,
        extension: &str,
        bytes: Vec<u8>,
    ) -> Result<String, StorageError> {
        let mut random = [0u8; 16];
        rand::fill(&mut random);
        let key = format!("t{tenant}/{}.{extension}", hex::encode(random));
        self.store
            .put(&StorePath::from(key.as_str()), PutPayload::from(bytes))
            .await?;
        Ok(key)
    }

    /// `put` for synchronous callers (the demo seed, the CLI): on a thread of its own
    /// with its own small runtime, so that it also works from inside a runtime.
    pub fn put_blocking(
        &self,
        tenant: TenantId,
        extension: &str,
        bytes: Vec<u8>,
    ) -> Result<String, StorageError> {
        let (store, extension) = (self.clone(), extension.to_string());
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| StorageError::Setup(e.to_string()))?
                .block_on(store.put(tenant, &extension, bytes))
        })
        .join()
        .map_err(|_| StorageError::Setup("the storage thread panicked".into()))?
    }

    /// The whole file, or the bytes of `range`.
    pub async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<Bytes, StorageError> {
        let path = StorePath::from(key);
        Ok(match range {
            Some(r) => self.store.get_range(&path, r).await?,
            None => self.store.get(&path).await?.bytes().await?,
        })
    }

    /// Removes a file; one already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(feature = "s3")]
fn s3(settings: &StorageSettings) -> Result<Arc<dyn ObjectStore>, StorageError> {
    let mut builder =
        object_store::aws::AmazonS3Builder::from_env().with_bucket_name(&settings.bucket);
    if !settings.endpoint.is_empty() {
        builder = builder
            .with_endpoint(&settings.endpoint)
            .with_allow_http(settings.endpoint.starts_with("http://"));
    }
    if !settings.region.is_empty() {
        builder = builder.with_region(&settings.region);
    }
    Ok(Arc::new(builder.build()?))
}

#[cfg(not(feature = "s3"))]
fn s3(_: &StorageSettings) -> Result<Arc<dyn ObjectStore>, StorageError> {
    Err(StorageError::Setup(
        "storage.backend = \"s3\" needs a build with `--features s3`".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_kept_under_their_tenant_and_read_by_range() {
        let dir = std::env::temp_dir().join(format!("relais-storage-{}", std::process::id()));
        let settings = StorageSettings {
            backend: StorageBackend::Local,
            path: dir.to_string_lossy().into_owned(),
            bucket: String::new(),
            endpoint: String::new(),
            region: String::new(),
            max_video_mb: 1,
            max_image_mb: 1,
        };
        let storage = Storage::from_settings(&settings, std::path::Path::new("/")).unwrap();
        let key = storage
            .put(TenantId(7), "webm", b"0123456789".to_vec())
            .await
            .unwrap();
        assert!(key.starts_with("t7/") && key.ends_with(".webm"));
        assert_eq!(
            storage.get(&key, Some(2..5)).await.unwrap().as_ref(),
            b"234"
        );
        assert_eq!(storage.get(&key, None).await.unwrap().len(), 10);
        storage.delete(&key).await.unwrap();
        storage.delete(&key).await.unwrap();
        assert!(storage.get(&key, None).await.is_err());
        let other = storage
            .put_blocking(TenantId(7), "jpg", vec![1, 2])
            .unwrap();
        assert_eq!(storage.get(&other, None).await.unwrap().as_ref(), &[1, 2]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
