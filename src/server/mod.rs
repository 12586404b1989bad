//! The JSON API and the web pages. The routes ([`router`]) talk only to the search engine,
//! through [`AppState::call`]; [`app`] wraps the whole router in the limits and headers so
//! that every response, errors and refusals included, gets them; [`listen::serve`] accepts
//! connections with a header-read timeout and a bounded graceful shutdown.

pub mod api;
mod app;
pub mod articles;
pub mod cache;
pub mod charts;
pub mod error;
pub mod fields;
pub mod i18n;
pub mod listen;
pub mod metrics;
pub mod nature;
mod observe;
pub mod openapi;
pub mod params;
pub mod pool;
pub mod render;
mod routes;
pub mod service;
pub mod socket;
pub mod site;
pub mod state;
pub mod text;
pub mod web;

pub use app::{app, app_with, App, CSP};
pub use observe::MAX_URI;
pub use routes::router;
pub use site::{PublicUrl, Site};
pub use state::{AppState, Backend, Limits, Opener};
