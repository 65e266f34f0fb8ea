//! Writing reports to files (`--output`) without ever damaging a file: not through a symbolic
//! link, not over a file the run reads, not twice to one file, and atomically (a temporary
//! file beside the target, renamed over it), so a full disk or a second run writing the same
//! file never leaves a truncated or mixed report.

use std::io::Write;
use std::path::{Path, PathBuf};
use wabalint::project::Root;
use wabalint::source::shown_path;

/// Why `--output` cannot be used as asked (a usage error: nothing is checked or written).
pub fn refuse(outputs: &[&Path], reads: &[&Path], root: &Root) -> Result<(), String> {
    let mut seen: Vec<(PathBuf, Option<Identity>)> = Vec::new();
    let read_ids: Vec<Identity> = if outputs.iter().any(|p| p.exists()) {
        reads.iter().filter_map(|p| identity(p)).collect()
    } else {
        Vec::new()
    };
    for path in outputs {
        let name = shown_path(path);
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`--output {name}` is a symbolic link; wabalint does not write reports through links (a link committed to a repository could point anywhere on the machine)"
            ));
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = wabalint::project::lexical(&cwd.join(path));
        // A directory on the way that a repository can hold (inside the working directory or
        // the root) must not be a link: it could lead anywhere on the machine.
        let linked = absolute.ancestors().skip(1).any(|dir| {
            (dir.starts_with(&cwd) || dir.starts_with(root.path()))
                && std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink())
        });
        if linked {
            return Err(format!(
                "`--output {name}` is in a directory reached through a symbolic link; wabalint does not write reports through links"
            ));
        }
        let id = identity(path);
        if seen
            .iter()
            .any(|(p, i)| *p == absolute || (id.is_some() && *i == id))
        {
            return Err(format!(
                "`--output {name}` is named twice; each report needs a file of its own"
            ));
        }
        if id.as_ref().is_some_and(|id| read_ids.contains(id)) {
            return Err(format!(
                "`--output {name}` is a file this run reads (a manifest it checks, the configuration or a rule file); wabalint never writes over what it reads"
            ));
        }
        seen.push((absolute, id));
    }
    Ok(())
}

/// A file's identity (device and inode where the system has them, else its real path).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(Identity::Inode(m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(Identity::Path)
    }
}

/// Writes a report to `path` atomically: into a temporary file in the same directory, which
/// replaces `path` only once it is complete. On any error the old file stays as it was.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".wabalint-report-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    // A report is for others to read, as one written with `File::create` would be.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o644);
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
