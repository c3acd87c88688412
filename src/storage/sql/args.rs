//! A statement's arguments in every form a verb writes them, bound one at a time to either
//! engine.

use rusqlite::types::ToSql;

use super::Result;

/// A statement's arguments: `params![a, b]`, an array or slice of values, a `Vec`, `()` for
/// none, or [`params_from_iter`].
pub trait Args {
    /// Hands each argument, in order, to `bind`.
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()>;
}

impl Args for () {
    fn each(self, _: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        Ok(())
    }
}

impl<T: ToSql> Args for &[T] {
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|v| bind(v))
    }
}

impl<T: ToSql, const N: usize> Args for [T; N] {
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|v| bind(v))
    }
}

impl<T: ToSql, const N: usize> Args for &[T; N] {
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|v| bind(v))
    }
}

impl<T: ToSql> Args for Vec<T> {
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|v| bind(v))
    }
}

impl<T: ToSql> Args for &Vec<T> {
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|v| bind(v))
    }
}

/// The arguments an iterator yields, as `rusqlite::params_from_iter`.
pub struct FromIter<I>(I);

pub fn params_from_iter<I>(iter: I) -> FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    FromIter(iter)
}

impl<I> Args for FromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn each(self, bind: &mut dyn FnMut(&dyn ToSql) -> Result<()>) -> Result<()> {
        self.0.into_iter().try_for_each(|v| bind(&v))
    }
}
