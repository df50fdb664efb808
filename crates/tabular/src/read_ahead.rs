//! Reading the next chunks of a stream on a second thread while the first one checks rows:
//! the copy out of the operating system's cache overlaps with the parsing, which on a machine
//! with two cores takes the copy off the validation's path.

use std::io::Read;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};

/// How much each read asks for.
const CHUNK: usize = 256 * 1024;
/// Chunks read ahead of the one being parsed, so memory stays a few chunks whatever the size.
const AHEAD: usize = 4;

type Chunk = std::io::Result<(Vec<u8>, usize)>;

/// The parsing side: a `Read` over the chunks the reading thread sends.
pub(crate) struct ReadAhead {
    chunks: Receiver<Chunk>,
    spent: Sender<Vec<u8>>,
    current: Vec<u8>,
    len: usize,
    at: usize,
    done: bool,
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.len {
            if self.done {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Ok((chunk, len))) => {
                    let old = std::mem::replace(&mut self.current, chunk);
                    let _ = self.spent.send(old);
                    self.len = len;
                    self.at = 0;
                    if len == 0 {
                        self.done = true;
                    }
                }
                Ok(Err(err)) => {
                    self.done = true;
                    return Err(err);
                }
                Err(_) => self.done = true,
            }
        }
        let n = buf.len().min(self.len - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Runs `work` on a reader over `source`, filled by a thread of its own. The thread stops at
/// the end of the stream, at an error, or when `work` returns.
pub(crate) fn with_read_ahead<R: Read + Send, T>(
    source: R,
    work: impl FnOnce(ReadAhead) -> T,
) -> T {
    let (send_chunk, chunks) = sync_channel::<Chunk>(AHEAD);
    let (spent, reuse) = channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut source = source;
            loop {
                let mut buffer = reuse.try_recv().unwrap_or_else(|_| vec![0; CHUNK]);
                if buffer.len() < CHUNK {
                    buffer.resize(CHUNK, 0);
                }
                let read = source.read(&mut buffer);
                let end = !matches!(read, Ok(n) if n > 0);
                let sent = send_chunk.send(read.map(|n| (buffer, n)));
                if end || sent.is_err() {
                    break;
                }
            }
        });
        work(ReadAhead {
            chunks,
            spent,
            current: Vec::new(),
            len: 0,
            at: 0,
            done: false,
        })
    })
}
