//! Python front end: units and metric inputs as radon 6.0.1 and complexipy 8.3.0 see them.

pub mod cognitive;
pub mod raw;
pub mod tokenize;
