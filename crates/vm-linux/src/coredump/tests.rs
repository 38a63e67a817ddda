use super::image::{self, LimitedFile, Segment};
use super::name::{core_name, Facts};
use super::notes::{self, MappedFile, ProcessInfo, ThreadStatus};
use std::io::Cursor;
use vm_engine::CpuState;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[test]
fn prstatus_has_the_riscv64_kernel_layout() {
    // struct elf_prstatus on riscv64: 112 bytes of common part, 32 registers, an int.
    assert_eq!(notes::PRSTATUS_SIZE, 112 + 32 * 8 + 8);
    let mut cpu = CpuState {
        pc: 0x1234,
        ..CpuState::default()
    };
    for i in 1..32 {
        cpu.set_x(i, 0x100 + i as u64);
    }
    let t = ThreadStatus {
        sig: 11,
        pending: 0x5,
        blocked: 0x6,
        tid: 77,
        ppid: 2,
        pgrp: 3,
        sid: 4,
        utime: (9, 10),
        regs: notes::user_regs(&cpu),
        fpvalid: true,
        ..ThreadStatus::default()
    };
    let b = notes::prstatus(&t);
    assert_eq!(u32_at(&b, 0), 11, "pr_info.si_signo");
    assert_eq!(u32_at(&b, 12) & 0xffff, 11, "pr_cursig");
    assert_eq!(u64_at(&b, 16), 5, "pr_sigpend");
    assert_eq!(u64_at(&b, 24), 6, "pr_sighold");
    assert_eq!(
        [
            u32_at(&b, 32),
            u32_at(&b, 36),
            u32_at(&b, 40),
            u32_at(&b, 44)
        ],
        [77, 2, 3, 4]
    );
    assert_eq!([u64_at(&b, 48), u64_at(&b, 56)], [9, 10], "pr_utime");
    assert_eq!(u64_at(&b, 112), 0x1234, "pr_reg[0] is pc");
    assert_eq!(u64_at(&b, 112 + 8), 0x101, "pr_reg[1] is ra");
    assert_eq!(u64_at(&b, 112 + 31 * 8), 0x100 + 31, "pr_reg[31] is t6");
    assert_eq!(u32_at(&b, 368), 1, "pr_fpvalid");
}

#[test]
fn prpsinfo_has_the_64_bit_kernel_layout() {
    assert_eq!(notes::PRPSINFO_SIZE, 136);
    let p = ProcessInfo {
        uid: 1000,
        gid: 100,
        pid: 42,
        fname: b"a-very-long-command-name".to_vec(),
        cmdline: b"prog\0arg one\0".to_vec(),
        ..ProcessInfo::default()
    };
    let b = notes::prpsinfo(&p);
    assert_eq!(b[1], b'R', "pr_sname");
    assert_eq!(
        [u32_at(&b, 16), u32_at(&b, 20), u32_at(&b, 24)],
        [1000, 100, 42]
    );
    assert_eq!(
        &b[40..56],
        b"a-very-long-com\0",
        "pr_fname: 15 bytes and a NUL"
    );
    assert_eq!(&b[56..70], b"prog arg one\0\0", "pr_psargs");
}

#[test]
fn fpregset_is_the_padded_d_ext_state() {
    let mut cpu = CpuState {
        fcsr: 0xe1,
        ..CpuState::default()
    };
    cpu.set_f(31, 0x4000_0000_0000_0000);
    let b = notes::fpregset(&cpu);
    assert_eq!(b.len(), 264);
    assert_eq!(u64_at(&b, 31 * 8), 0x4000_0000_0000_0000);
    assert_eq!(u32_at(&b, 256), 0xe1);
    assert_eq!(u32_at(&b, 260), 0, "padding");
}

#[test]
fn the_vector_regset_is_linux_s_and_only_for_a_thread_that_used_the_unit() {
    let mut cpu = CpuState::default();
    assert_eq!(notes::vector_regset(&cpu), None);
    cpu.vector.vtype = 0x51;
    cpu.vector.vl = 5;
    cpu.vector.vxrm = 1;
    cpu.vector.regs[16] = 0xab; // v1's first byte
    let b = notes::vector_regset(&cpu).expect("a vector regset");
    // struct __riscv_v_regset_state: vstart, vl, vtype, vcsr, vlenb, then vreg[].
    assert_eq!(b.len(), 40 + 32 * 16);
    assert_eq!(
        [0, 8, 16, 24, 32].map(|o| u64_at(&b, o)),
        [0, 5, 0x51, 2, 16]
    );
    assert_eq!(b[40 + 16], 0xab);
    assert_eq!(notes::NT_RISCV_VECTOR, 0x901);
}

#[test]
fn notes_are_padded_to_four_bytes() {
    let mut out = Vec::new();
    notes::push_note(&mut out, "CORE", 1, &[1, 2, 3, 4, 5]);
    assert_eq!(u32_at(&out, 0), 5, "namesz counts the NUL");
    assert_eq!(u32_at(&out, 4), 5, "descsz is unpadded");
    assert_eq!(u32_at(&out, 8), 1);
    assert_eq!(&out[12..20], b"CORE\0\0\0\0");
    assert_eq!(out.len(), 12 + 8 + 8);
}

#[test]
fn file_note_lists_ranges_then_names() {
    let files = [
        MappedFile {
            start: 0x1000,
            end: 0x3000,
            offset: 0x2000,
            name: b"/bin/a".to_vec(),
        },
        MappedFile {
            start: 0x5000,
            end: 0x6000,
            offset: 0,
            name: b"/lib/b".to_vec(),
        },
    ];
    let b = notes::file_note(&files, 4096);
    assert_eq!([u64_at(&b, 0), u64_at(&b, 8)], [2, 4096]);
    assert_eq!(
        [u64_at(&b, 16), u64_at(&b, 24), u64_at(&b, 32)],
        [0x1000, 0x3000, 2]
    );
    assert_eq!(&b[64..], b"/bin/a\0/lib/b\0");
}

#[test]
fn headers_place_notes_then_page_aligned_memory() {
    let segments = [
        Segment {
            start: 0x10000,
            end: 0x12000,
            flags: image::flags(vm_memory::Perm::RX),
            dumped: 0x1000,
            anonymous: false,
        },
        Segment {
            start: 0x20000,
            end: 0x21000,
            flags: image::flags(vm_memory::Perm::RW),
            dumped: 0x1000,
            anonymous: true,
        },
    ];
    let notes = vec![0xaau8; 100];
    let (head, data_at) = image::headers(&notes, &segments);
    assert_eq!(&head[..4], b"\x7fELF");
    assert_eq!(u32_at(&head, 16) & 0xffff, 4, "ET_CORE");
    assert_eq!(u32_at(&head, 16) >> 16, 243, "EM_RISCV");
    assert_eq!(u32_at(&head, 56) & 0xffff, 3, "e_phnum");
    let notes_at = 64 + 3 * 56;
    assert_eq!(u32_at(&head, 64), 4, "PT_NOTE first");
    assert_eq!(u64_at(&head, 64 + 8), notes_at as u64);
    assert_eq!(u64_at(&head, 64 + 32), 100);
    assert_eq!(data_at, 4096);
    let load = 64 + 56;
    assert_eq!(u32_at(&head, load), 1, "PT_LOAD");
    assert_eq!(u32_at(&head, load + 4), 4 | 1, "PF_R | PF_X");
    assert_eq!(u64_at(&head, load + 8), 4096, "p_offset");
    assert_eq!(u64_at(&head, load + 16), 0x10000, "p_vaddr");
    assert_eq!(u64_at(&head, load + 32), 0x1000, "p_filesz");
    assert_eq!(u64_at(&head, load + 40), 0x2000, "p_memsz");
    assert_eq!(u64_at(&head, load + 56 + 8), 4096 + 0x1000, "next p_offset");
    assert_eq!(&head[notes_at..], &notes[..]);
}

#[test]
fn limited_file_stops_before_the_piece_that_crosses_the_limit() {
    let mut out = LimitedFile::new(Cursor::new(Vec::new()), 10);
    assert!(out.emit(&[1; 6]).unwrap());
    assert!(!out.emit(&[2; 6]).unwrap(), "6 + 6 > 10");
    assert!(!out.emit(&[3; 1]).unwrap(), "nothing after the cut");
    assert!(out.truncated());
    let (file, len) = out.finish().unwrap();
    assert_eq!(file.into_inner(), vec![1; 6]);
    assert_eq!(len, 6);
}

fn facts() -> Facts {
    Facts {
        pid: 321,
        tid: 322,
        sig: 11,
        time: 1700000000,
        hostname: b"box".to_vec(),
        comm: b"my/prog".to_vec(),
        exe: b"/usr/bin/prog".to_vec(),
        ..Facts::default()
    }
}

#[test]
fn core_name_expands_a_plain_pattern() {
    let f = facts();
    let name = |p: &str, uses_pid| core_name(p.as_bytes(), uses_pid, &f).map(String::from_utf8);
    assert_eq!(name("core", false), Some(Ok("core".into())));
    assert_eq!(name("core", true), Some(Ok("core.321".into())));
    assert_eq!(
        name("core.%p", true),
        Some(Ok("core.321".into())),
        "%p: no .PID added"
    );
    assert_eq!(
        name("/tmp/%e-%s-%t-%h-%i-%%-%E-%f%q", false),
        Some(Ok(
            "/tmp/my!prog-11-1700000000-box-322-%-!usr!bin!prog-prog".into()
        )),
        "substitutions never add a directory; an unknown specifier is dropped"
    );
    assert_eq!(name("|/usr/share/apport/apport %p", true), None);
    assert_eq!(name("", true), None);
}
