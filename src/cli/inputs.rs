//! What to scan: named files, folders walked with ripgrep's conventions, or
//! standard input.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// One thing to scan.
#[derive(Debug, Clone)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file; `named` when given on the command line (always scanned, even
    /// if it looks binary).
    File { path: PathBuf, named: bool },
}

impl Input {
    /// The path as given or walked (`-` for standard input).
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }

    /// Reads the whole input.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        match self {
            Input::Stdin => {
                let mut buf = Vec::new();
                io::stdin().lock().read_to_end(&mut buf)?;
                Ok(buf)
            }
            Input::File { path, .. } => std::fs::read(path),
        }
    }
}

/// Inputs found, and problems met while walking (path, message).
#[derive(Debug, Default)]
pub struct Gathered {
    pub inputs: Vec<Input>,
    pub errors: Vec<(String, String)>,
}

/// Options of the walk.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    pub hidden: bool,
    pub no_ignore: bool,
    pub follow: bool,
}

/// Expands `paths` into inputs, in a deterministic order: the paths in the
/// order given, each folder's files sorted by path.
pub fn gather(paths: &[PathBuf], opts: WalkOptions) -> Gathered {
    let mut g = Gathered::default();
    for p in paths {
        if p.as_os_str() == "-" {
            g.inputs.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, opts, &mut g);
        } else if p.exists() || p.symlink_metadata().is_ok() {
            g.inputs.push(Input::File {
                path: p.clone(),
                named: true,
            });
        } else {
            g.errors
                .push((p.display().to_string(), "no such file or folder".into()));
        }
    }
    g
}

fn walk(root: &Path, opts: WalkOptions, g: &mut Gathered) {
    let walker = WalkBuilder::new(root)
        .hidden(!opts.hidden)
        .ignore(!opts.no_ignore)
        .git_ignore(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .follow_links(opts.follow)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let Some(ft) = e.file_type() else { continue };
                if ft.is_file() {
                    g.inputs.push(Input::File {
                        path: e.into_path(),
                        named: false,
                    });
                } else if ft.is_dir() || ft.is_symlink() {
                    // Folders are walked; links are followed only with --follow.
                } else {
                    g.errors.push((
                        e.path().display().to_string(),
                        "not a regular file (FIFO, socket or device): skipped".into(),
                    ));
                }
            }
            Err(e) => {
                let (path, msg) = split_walk_error(&e);
                g.errors
                    .push((path.unwrap_or_else(|| root.display().to_string()), msg));
            }
        }
    }
}

fn split_walk_error(e: &ignore::Error) -> (Option<String>, String) {
    match e {
        ignore::Error::WithPath { path, err } => {
            (Some(path.display().to_string()), split_walk_error(err).1)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            split_walk_error(err)
        }
        ignore::Error::Loop { child, ancestor } => (
            Some(child.display().to_string()),
            format!("symbolic link loop (back to {})", ancestor.display()),
        ),
        ignore::Error::Io(io) => (None, io.to_string()),
        other => (None, other.to_string()),
    }
}
