//! Mapping over items on the machine's cores, keeping their order: how large plans are read,
//! checked and compared. Threads only, no IO.
//!
//! The work runs on rayon's pool, whose threads live as long as the process: the language server
//! maps on every keystroke, and starting threads each time (with a fresh allocator heap each, given
//! back when they end) cost more than some of the rules they ran.

use rayon::prelude::*;

/// `f` over `items` on all available cores; results in item order. Idle threads take work from
/// busy ones, so unequal items balance out. A panic in `f` resumes in the caller.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.par_iter().map(f).collect()
}

/// [`map`], or on the calling thread when `threads` is 1 (small inputs, where handing the work
/// over costs more than it saves).
pub fn map_on<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    map(items, f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_on_any_number_of_threads() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 7] {
            let squares = super::map_on(threads, &items, |i| i * i);
            assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        }
        assert!(super::map(&[] as &[u8], |b| *b).is_empty());
    }
}
