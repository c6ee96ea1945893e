//! A cache file cannot make the app set aside memory for more than it holds: a header
//! claiming gigabytes, or a (sparse) file of gigabytes, is refused without allocating them.
//! The only test of this binary, as it counts the allocations of the whole process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};

use cabletriage::corpus::Entry;
use cabletriage::corpus::cache::{self, CacheMiss};

/// The system allocator, remembering the largest block asked for.
struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: forwarded as is to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GIB: u64 = 1 << 30;
/// Where the payload length stands in the header: magic (8), format (4), reader (8), key
/// length (8).
const PAYLOAD_LEN_AT: usize = 28;
const HEADER_LEN: u64 = 44;

#[test]
fn huge_claimed_or_sparse_sizes_are_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("cables.csv");
    fs::write(&corpus, "").unwrap();
    let key = cache::key_for(std::slice::from_ref(&corpus)).unwrap();
    let path = dir.path().join("cache").join("index.bin");
    cache::save(
        &path,
        &key,
        std::slice::from_ref(&corpus),
        &Vec::<Entry>::new(),
    )
    .unwrap();
    let good = fs::read(&path).unwrap();
    let key_len = u64::from_le_bytes(good[20..28].try_into().unwrap());

    let cases: [(&str, u64, Option<u64>); 3] = [
        // The header claims 8 GiB; the file is small.
        ("claimed", 8 * GIB, None),
        // The file is 8 GiB (sparse) and the header agrees.
        ("sparse and agreeing", 8 * GIB, Some(8 * GIB)),
        // The file is 8 GiB (sparse); the header claims what the real cache holds.
        ("sparse", 0, Some(8 * GIB)),
    ];
    for (case, payload_len, file_len) in cases {
        let mut bytes = good.clone();
        if payload_len > 0 {
            bytes[PAYLOAD_LEN_AT..PAYLOAD_LEN_AT + 8].copy_from_slice(&payload_len.to_le_bytes());
        }
        fs::write(&path, &bytes).unwrap();
        if let Some(len) = file_len {
            fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len + HEADER_LEN + key_len)
                .unwrap();
        }
        LARGEST.store(0, Ordering::Relaxed);
        let result = cache::load(&path, &key);
        let largest = LARGEST.load(Ordering::Relaxed);
        assert!(
            matches!(result, Err(CacheMiss::Damaged(_))),
            "{case}: {:?}",
            result.map(|_| ())
        );
        assert!(
            largest < 64 << 20,
            "{case}: a block of {largest} bytes was allocated"
        );
    }
}
