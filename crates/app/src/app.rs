//! The [`App`]: everything a use case reaches — the store, the kept files, the mailer, the
//! clock, the settings and the interface texts — built once at start-up and shared.

use std::sync::Arc;

use abierto_i18n::I18n;
use abierto_store::Store;

use crate::clock::Clock;
use crate::files::FileStore;
use crate::mailer::{MailError, Mailer};
use crate::own_datasets::OwnDatasetsSignal;
use crate::settings::Settings;

/// The platform, as the use cases see it; cheap to clone.
#[derive(Clone)]
pub struct App(Arc<Inner>);

struct Inner {
    store: Store,
    settings: Settings,
    files: FileStore,
    mailer: Option<Mailer>,
    clock: Clock,
    texts: Arc<I18n>,
    own_datasets: OwnDatasetsSignal,
}

/// Why the platform could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Texts(#[from] abierto_i18n::CatalogError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl App {
    pub fn new(store: Store, settings: Settings, clock: Clock) -> Result<App, SetupError> {
        let mailer = match &settings.smtp_url {
            Some(url) => Some(Mailer::new(&url.0, &settings.mail_from)?),
            None => None,
        };
        Ok(App(Arc::new(Inner {
            files: FileStore::new(&settings),
            texts: Arc::new(I18n::load()?),
            store,
            settings,
            mailer,
            clock,
            own_datasets: OwnDatasetsSignal::default(),
        })))
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    /// The interface texts, for those who render them.
    pub fn texts(&self) -> Arc<I18n> {
        self.0.texts.clone()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    pub(crate) fn files(&self) -> &FileStore {
        &self.0.files
    }

    pub(crate) fn mailer(&self) -> Option<&Mailer> {
        self.0.mailer.as_ref()
    }

    pub(crate) fn own_datasets(&self) -> &OwnDatasetsSignal {
        &self.0.own_datasets
    }
}
