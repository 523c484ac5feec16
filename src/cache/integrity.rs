//! A structural check of an LMDB data file, done with ordinary reads
//! before LMDB maps it.
//!
//! LMDB trusts its file: a page past the end of a truncated file faults on
//! the mapped memory (SIGBUS), and a garbled branch or leaf page sends it
//! outside the page (SIGSEGV, or an assertion's abort). So before opening,
//! the newest meta page is chosen as LMDB chooses it and every page it can
//! reach is checked: inside the file, a header naming its own page number
//! and kind, node offsets and sizes inside the page, child and overflow
//! pages in range and used once, tree depth as recorded, and the free
//! list's page numbers in range, sorted and not in use. A file that passes
//! can be read and written by LMDB without leaving its pages; what the
//! values say is then checked by the entries' own checksums.
//!
//! The layout read here is LMDB's on 64-bit little-endian targets
//! (`docs/cache.md` lists the offsets).

use std::collections::HashSet;
use std::fs::File;
use std::io;

const MAGIC: u32 = 0xBEEF_C0DE;
const DATA_VERSION: u32 = 1;
const PAGE_HEADER: usize = 16;
const NODE_HEADER: usize = 8;
/// Size of a database record (`MDB_db`) and of a meta record (`MDB_meta`).
const DB_RECORD: usize = 48;
const META_RECORD: usize = 136;
const META_PAGES: u64 = 2;
/// The deepest tree LMDB's cursors can walk.
const MAX_DEPTH: u16 = 32;
const NO_PAGE: u64 = u64::MAX;
const MIN_PAGE_SIZE: u32 = 512;
const MAX_PAGE_SIZE: u32 = 32 * 1024;

const P_BRANCH: u16 = 0x01;
const P_LEAF: u16 = 0x02;
const P_OVERFLOW: u16 = 0x04;
const P_META: u16 = 0x08;
const F_BIGDATA: u16 = 0x01;
const F_SUBDATA: u16 = 0x02;

/// What a sound file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Soundness {
    /// Entries of the named databases whose keys do not start with the
    /// prefix given to [`check`].
    pub entries: u64,
}

/// Why a data file is not sound.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    #[error("{0} is not a regular file")]
    NotAFile(&'static str),
    #[error("cannot read the data file: {0}")]
    Read(#[source] io::Error),
    #[error("the data file is {0} bytes, too short for its meta pages")]
    TooShort(u64),
    #[error("meta page {meta}: {problem}")]
    Meta { meta: u64, problem: &'static str },
    #[error("page {page}: {problem}")]
    Page { page: u64, problem: &'static str },
}

/// Checks the data file `file`, counting named-database entries whose key
/// does not start with `uncounted_prefix`.
pub fn check(file: &File, uncounted_prefix: &[u8]) -> Result<Soundness, Damage> {
    let length = file.metadata().map_err(Damage::Read)?.len();
    let first = read_meta(file, 0, None, length)?;
    let second = read_meta(file, 1, Some(first.page_size), length)?;
    // LMDB reads the meta with the higher transaction id (the first on a tie).
    let meta = if second.txnid > first.txnid {
        second
    } else {
        first
    };
    let mut walk = Walk {
        file,
        page_size: meta.page_size as usize,
        file_pages: length / u64::from(meta.page_size),
        last_page: meta.last_page,
        used: HashSet::new(),
        free: Vec::new(),
        uncounted_prefix,
        entries: 0,
    };
    walk.tree(&meta.main, Tree::Main)?;
    walk.tree(&meta.free, Tree::Free)?;
    for page in std::mem::take(&mut walk.free) {
        if !walk.used.insert(page) {
            return Err(Damage::Page {
                page,
                problem: "listed as free but in use",
            });
        }
    }
    Ok(Soundness {
        entries: walk.entries,
    })
}

struct Meta {
    page_size: u32,
    free: DbRecord,
    main: DbRecord,
    last_page: u64,
    txnid: u64,
}

#[derive(Clone, Copy)]
struct DbRecord {
    flags: u16,
    depth: u16,
    root: u64,
}

impl DbRecord {
    fn parse(bytes: &[u8]) -> DbRecord {
        DbRecord {
            flags: u16_at(bytes, 4),
            depth: u16_at(bytes, 6),
            root: u64_at(bytes, 40),
        }
    }
}

fn read_meta(file: &File, index: u64, page_size: Option<u32>, length: u64) -> Result<Meta, Damage> {
    let offset = page_size.map_or(0, |size| u64::from(size) * index);
    if length < offset + (PAGE_HEADER + META_RECORD) as u64 {
        return Err(Damage::TooShort(length));
    }
    let mut page = [0u8; PAGE_HEADER + META_RECORD];
    read_exact_at(file, &mut page, offset).map_err(Damage::Read)?;
    let bad = |problem| Damage::Meta {
        meta: index,
        problem,
    };
    if u64_at(&page, 0) != index || u16_at(&page, 10) & P_META == 0 {
        return Err(bad("not a meta page"));
    }
    let meta = &page[PAGE_HEADER..];
    if u32_at(meta, 0) != MAGIC {
        return Err(bad("not an LMDB file (bad magic number)"));
    }
    if u32_at(meta, 4) != DATA_VERSION {
        return Err(bad("unsupported LMDB data version"));
    }
    if u64_at(meta, 8) != 0 {
        return Err(bad("asks for a fixed memory address"));
    }
    let size = u32_at(meta, 24);
    if !size.is_power_of_two() || !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&size) {
        return Err(bad("invalid page size"));
    }
    if page_size.is_some_and(|first| first != size) {
        return Err(bad("page size differs from the first meta page"));
    }
    let free = DbRecord::parse(&meta[24..24 + DB_RECORD]);
    let main = DbRecord::parse(&meta[72..72 + DB_RECORD]);
    let last_page = u64_at(meta, 120);
    if last_page < META_PAGES - 1 {
        return Err(bad("invalid last page number"));
    }
    if length < u64::from(size) * META_PAGES {
        return Err(Damage::TooShort(length));
    }
    Ok(Meta {
        page_size: size,
        free,
        main,
        last_page,
        txnid: u64_at(meta, 128),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tree {
    /// The main database: named databases' records (and plain values).
    Main,
    /// A named database: plain values.
    Named,
    /// The free-page database: lists of page numbers.
    Free,
}

struct Walk<'a> {
    file: &'a File,
    page_size: usize,
    file_pages: u64,
    last_page: u64,
    used: HashSet<u64>,
    free: Vec<u64>,
    uncounted_prefix: &'a [u8],
    entries: u64,
}

impl Walk<'_> {
    fn tree(&mut self, db: &DbRecord, tree: Tree) -> Result<(), Damage> {
        // Only plain databases: no duplicate keys, no custom key order
        // (the free database's integer keys are the one exception).
        let expected_flags = if tree == Tree::Free { 0x08 } else { 0 };
        if db.root == NO_PAGE {
            return if db.depth == 0 {
                Ok(())
            } else {
                Err(Damage::Page {
                    page: db.root,
                    problem: "empty tree with a depth",
                })
            };
        }
        if db.flags & !expected_flags != 0 {
            return Err(Damage::Page {
                page: db.root,
                problem: "unsupported database flags",
            });
        }
        if db.depth == 0 || db.depth > MAX_DEPTH {
            return Err(Damage::Page {
                page: db.root,
                problem: "invalid tree depth",
            });
        }
        self.node_page(db.root, 1, db.depth, tree)
    }

    /// Claims `count` pages from `first` for this walk, all inside the file.
    fn claim(&mut self, first: u64, count: u64) -> Result<(), Damage> {
        let end = first.checked_add(count);
        if first < META_PAGES
            || end.is_none_or(|end| end > self.last_page + 1 || end > self.file_pages)
        {
            return Err(Damage::Page {
                page: first,
                problem: "page number out of range or past the end of the file",
            });
        }
        for page in first..first + count {
            if !self.used.insert(page) {
                return Err(Damage::Page {
                    page,
                    problem: "reached twice",
                });
            }
        }
        Ok(())
    }

    fn read_page(&self, page: u64, length: usize) -> Result<Vec<u8>, Damage> {
        let mut bytes = vec![0; length];
        read_exact_at(self.file, &mut bytes, page * self.page_size as u64).map_err(Damage::Read)?;
        if u64_at(&bytes, 0) != page {
            return Err(Damage::Page {
                page,
                problem: "header names another page",
            });
        }
        Ok(bytes)
    }

    fn node_page(
        &mut self,
        page: u64,
        depth: u16,
        depth_of_leaves: u16,
        tree: Tree,
    ) -> Result<(), Damage> {
        self.claim(page, 1)?;
        let bytes = self.read_page(page, self.page_size)?;
        let bad = |problem| Damage::Page { page, problem };
        let flags = u16_at(&bytes, 10);
        let is_leaf = depth == depth_of_leaves;
        if flags != if is_leaf { P_LEAF } else { P_BRANCH } {
            return Err(bad("wrong page kind for its depth"));
        }
        let lower = usize::from(u16_at(&bytes, 12));
        let upper = usize::from(u16_at(&bytes, 14));
        if lower < PAGE_HEADER
            || lower > upper
            || upper > self.page_size
            || !(lower - PAGE_HEADER).is_multiple_of(2)
        {
            return Err(bad("free-space bounds outside the page"));
        }
        let nodes = (lower - PAGE_HEADER) / 2;
        if !is_leaf && nodes == 0 {
            return Err(bad("branch page without children"));
        }
        for index in 0..nodes {
            let offset = usize::from(u16_at(&bytes, PAGE_HEADER + 2 * index));
            if offset < upper || offset % 2 != 0 || offset + NODE_HEADER > self.page_size {
                return Err(bad("node outside the page"));
            }
            let low = u64::from(u16_at(&bytes, offset));
            let high = u64::from(u16_at(&bytes, offset + 2));
            let node_flags = u16_at(&bytes, offset + 4);
            let key_size = usize::from(u16_at(&bytes, offset + 6));
            let key_start = offset + NODE_HEADER;
            let key_end = key_start + key_size;
            if key_end > self.page_size {
                return Err(bad("key outside the page"));
            }
            if !is_leaf {
                let child = low | high << 16 | u64::from(node_flags) << 32;
                self.node_page(child, depth + 1, depth_of_leaves, tree)?;
                continue;
            }
            let data_size = (low | high << 16) as usize;
            let key = &bytes[key_start..key_end];
            let data = if node_flags & F_BIGDATA != 0 {
                if key_end + 8 > self.page_size {
                    return Err(bad("overflow reference outside the page"));
                }
                let first = u64_at(&bytes, key_end);
                self.overflow(first, data_size, tree == Tree::Free)?
            } else {
                if key_end + data_size > self.page_size {
                    return Err(bad("value outside the page"));
                }
                bytes[key_end..key_end + data_size].to_vec()
            };
            match (tree, node_flags & !F_BIGDATA) {
                (Tree::Main, F_SUBDATA) => {
                    if data.len() != DB_RECORD {
                        return Err(bad("database record of the wrong size"));
                    }
                    self.tree(&DbRecord::parse(&data), Tree::Named)?;
                }
                (Tree::Main | Tree::Named, 0) => {
                    if tree == Tree::Named && !key.starts_with(self.uncounted_prefix) {
                        self.entries += 1;
                    }
                }
                (Tree::Free, 0) => self.free_list(page, key, &data)?,
                _ => return Err(bad("unsupported node flags")),
            }
        }
        Ok(())
    }

    /// Checks an overflow run and returns its value when `wanted`.
    fn overflow(&mut self, first: u64, size: usize, wanted: bool) -> Result<Vec<u8>, Damage> {
        if first < META_PAGES || first > self.last_page || first >= self.file_pages {
            return Err(Damage::Page {
                page: first,
                problem: "overflow page out of range",
            });
        }
        let length = if wanted {
            PAGE_HEADER + size
        } else {
            PAGE_HEADER
        };
        let needed = (PAGE_HEADER - 1 + size) / self.page_size + 1;
        if length > needed * self.page_size {
            return Err(Damage::Page {
                page: first,
                problem: "overflow value too long",
            });
        }
        let header = self.read_page(first, PAGE_HEADER)?;
        let pages = u64::from(u32_at(&header, 12));
        if u16_at(&header, 10) != P_OVERFLOW || pages < needed as u64 {
            return Err(Damage::Page {
                page: first,
                problem: "not an overflow page of the value's size",
            });
        }
        self.claim(first, pages)?;
        if wanted {
            let mut bytes = self.read_page(first, length)?;
            bytes.drain(..PAGE_HEADER);
            Ok(bytes)
        } else {
            Ok(Vec::new())
        }
    }

    /// A free-list record: a transaction id, then a count and that many
    /// page numbers in descending order.
    fn free_list(&mut self, page: u64, key: &[u8], data: &[u8]) -> Result<(), Damage> {
        let bad = |problem| Damage::Page { page, problem };
        if key.len() != 8 || data.len() < 8 || !data.len().is_multiple_of(8) {
            return Err(bad("malformed free-list record"));
        }
        let count = u64_at(data, 0);
        if count != (data.len() / 8 - 1) as u64 {
            return Err(bad("free-list count does not match its size"));
        }
        let mut previous = NO_PAGE;
        for chunk in data[8..].chunks_exact(8) {
            let free = u64_at(chunk, 0);
            if free < META_PAGES || free > self.last_page || free >= previous {
                return Err(bad("free-list page out of range or order"));
            }
            previous = free;
            self.free.push(free);
        }
        Ok(())
    }
}

fn u16_at(bytes: &[u8], offset: usize) -> u16 {
    let mut buffer = [0; 2];
    buffer.copy_from_slice(&bytes[offset..offset + 2]);
    u16::from_le_bytes(buffer)
}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    let mut buffer = [0; 4];
    buffer.copy_from_slice(&bytes[offset..offset + 4]);
    u32::from_le_bytes(buffer)
}

fn u64_at(bytes: &[u8], offset: usize) -> u64 {
    let mut buffer = [0; 8];
    buffer.copy_from_slice(&bytes[offset..offset + 8]);
    u64::from_le_bytes(buffer)
}

/// Fills `buf` from `offset` without moving a shared file position.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `offset` (Windows reads at an offset through `seek_read`).
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(read) => {
                buf = &mut buf[read..];
                offset += read as u64;
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Fills `buf` from `offset`.
#[cfg(not(any(unix, windows)))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}
