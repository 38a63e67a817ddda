//! The framing of the GDB remote serial protocol: `$payload#checksum` packets,
//! `+`/`-` acknowledgements (until no-ack mode), and the bare `0x03` byte with which
//! gdb asks a running target to stop.

use std::io::{self, Read, Write};
use std::net::TcpStream;

/// What gdb sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A packet's payload, checksum verified.
    Packet(Vec<u8>),
    /// `0x03` outside a packet: stop the running target (Ctrl-C).
    Interrupt,
}

/// One connection to gdb.
pub struct Connection {
    stream: TcpStream,
    /// Bytes read but not yet consumed.
    pending: Vec<u8>,
    /// After `QStartNoAckMode`, packets are neither acknowledged nor retransmitted.
    no_ack: bool,
    /// The last packet sent, resent when gdb answers `-`.
    last_sent: Vec<u8>,
}

/// The protocol's checksum: the payload's bytes summed modulo 256.
pub fn checksum(payload: &[u8]) -> u8 {
    payload.iter().fold(0u8, |sum, &b| sum.wrapping_add(b))
}

impl Connection {
    pub fn new(stream: TcpStream) -> Connection {
        // Replies are small and each one is awaited: send them at once.
        let _ = stream.set_nodelay(true);
        Connection {
            stream,
            pending: Vec::new(),
            no_ack: false,
            last_sent: Vec::new(),
        }
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    pub fn set_no_ack(&mut self) {
        self.no_ack = true;
    }

    fn next_byte(&mut self) -> io::Result<u8> {
        if self.pending.is_empty() {
            let mut buf = [0u8; 4096];
            let n = loop {
                match self.stream.read(&mut buf) {
                    Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            // Consumed from the front: keep them reversed so `pop` takes the next.
            self.pending = buf[..n].iter().rev().copied().collect();
        }
        Ok(self.pending.pop().expect("refilled above"))
    }

    /// Waits for the next packet or interrupt request; acknowledges packets (a corrupt
    /// one is answered `-`, and gdb sends it again).
    pub fn receive(&mut self) -> io::Result<Incoming> {
        loop {
            match self.next_byte()? {
                b'$' => {}
                0x03 => return Ok(Incoming::Interrupt),
                b'-' if !self.no_ack && !self.last_sent.is_empty() => {
                    let again = self.last_sent.clone();
                    self.stream.write_all(&again)?;
                    continue;
                }
                // `+` acknowledgements, and noise between packets.
                _ => continue,
            }
            let mut payload = Vec::new();
            loop {
                match self.next_byte()? {
                    b'#' => break,
                    b => payload.push(b),
                }
            }
            let digits = [self.next_byte()?, self.next_byte()?];
            let sent = std::str::from_utf8(&digits)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok());
            if self.no_ack {
                return Ok(Incoming::Packet(payload));
            }
            if sent == Some(checksum(&payload)) {
                self.stream.write_all(b"+")?;
                return Ok(Incoming::Packet(payload));
            }
            self.stream.write_all(b"-")?;
        }
    }

    /// Sends one packet. Characters the protocol reserves (`$`, `#`, `}`, `*`) are
    /// escaped, so any payload can be sent.
    pub fn send(&mut self, payload: &[u8]) -> io::Result<()> {
        let mut body = Vec::with_capacity(payload.len() + 4);
        for &b in payload {
            if matches!(b, b'$' | b'#' | b'}' | b'*') {
                body.extend_from_slice(&[b'}', b ^ 0x20]);
            } else {
                body.push(b);
            }
        }
        let mut out = Vec::with_capacity(body.len() + 4);
        out.push(b'$');
        out.extend_from_slice(&body);
        out.extend_from_slice(format!("#{:02x}", checksum(&body)).as_bytes());
        self.stream.write_all(&out)?;
        self.last_sent = out;
        Ok(())
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string; `None` if it is not one.
pub fn unhex(s: &[u8]) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// A hex number (as addresses and lengths are written).
pub fn hex_number(s: &[u8]) -> Option<u64> {
    u64::from_str_radix(std::str::from_utf8(s).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (Connection, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let gdb = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (stub, _) = listener.accept().unwrap();
        // A test that waits for bytes that never come fails instead of hanging.
        let limit = Some(std::time::Duration::from_secs(10));
        stub.set_read_timeout(limit).unwrap();
        gdb.set_read_timeout(limit).unwrap();
        (Connection::new(stub), gdb)
    }

    fn read_some(s: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        s.read_exact(&mut buf).unwrap();
        buf
    }

    #[test]
    fn packets_are_checked_acknowledged_and_escaped() {
        let (mut stub, mut gdb) = pair();
        // A corrupt packet is refused, its resend accepted; 0x03 is an interrupt.
        gdb.write_all(b"+$g#00$g#67\x03$m10,4#2e").unwrap();
        assert_eq!(stub.receive().unwrap(), Incoming::Packet(b"g".to_vec()));
        assert_eq!(read_some(&mut gdb, 2), b"-+");
        assert_eq!(stub.receive().unwrap(), Incoming::Interrupt);
        assert_eq!(stub.receive().unwrap(), Incoming::Packet(b"m10,4".to_vec()));
        stub.send(b"a#b").unwrap();
        let mut expected = b"+$a}\x03b#".to_vec();
        expected.extend_from_slice(format!("{:02x}", checksum(b"a}\x03b")).as_bytes());
        assert_eq!(read_some(&mut gdb, expected.len()), expected);
        // `-` asks for the last packet again.
        gdb.write_all(b"-$?#3f").unwrap();
        assert_eq!(stub.receive().unwrap(), Incoming::Packet(b"?".to_vec()));
        let mut again = expected[1..].to_vec();
        again.push(b'+');
        assert_eq!(read_some(&mut gdb, again.len()), again);
        // In no-ack mode nothing is acknowledged, and checksums are not checked.
        stub.set_no_ack();
        gdb.write_all(b"$k#00").unwrap();
        assert_eq!(stub.receive().unwrap(), Incoming::Packet(b"k".to_vec()));
        stub.send(b"OK").unwrap();
        assert_eq!(read_some(&mut gdb, 6), b"$OK#9a");
        drop(gdb);
        assert!(stub.receive().is_err(), "end of stream");
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(unhex(b"00ab10"), Some(vec![0, 0xab, 0x10]));
        assert_eq!(unhex(b"0"), None);
        assert_eq!(unhex(b"zz"), None);
        assert_eq!(hex_number(b"7ffe1000"), Some(0x7ffe_1000));
        assert_eq!(hex_number(b""), None);
    }
}
