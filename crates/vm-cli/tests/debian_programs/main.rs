//! Real, unmodified Debian riscv64 programs (bash, coreutils, grep, sed, mawk, diff,
//! perl, python3, gzip, xz, tar, binutils, gcc's cc1, node) run from a Debian root filesystem
//! (`vm_guest_build::debian_rootfs`, made once in
//! `${CARGO_TARGET_DIR:-target}/debian-rootfs-riscv64`) given to both emulators as `-L`.
//!
//! - Single-process commands run under vm and under qemu-riscv64-static and must give
//!   the same stdout, stderr and exit status.
//! - Commands that start other programs (pipelines, command substitution, xargs, find
//!   -exec, gcc, make, perl's system, python's subprocess) run under vm alone, since
//!   qemu-user cannot execve a RISC-V program without binfmt_misc; their expected
//!   output is the same script run by the host's own bash and tools, or written here.
//! - Programs that start threads have a test of their own, compared with qemu too.
//!
//! Every guest runs in a fresh directory with `LC_ALL=C`, `TZ=UTC`, `PATH=/usr/bin:/bin`,
//! `HOME` an empty directory and `PYTHONDONTWRITEBYTECODE=1` (the root is shared: no run
//! writes into it). Inputs are `tests/debian/inputs/` and files made natively with fixed
//! contents and times (`harness.rs`). A program is named by its path in the root; its
//! argv[0] is its bare name, as a shell would give it.

#[path = "../common/mod.rs"]
mod common;
mod harness;
mod rva23_corpus;

use common::*;
use harness::*;
use std::time::Duration;

#[test]
fn bash_and_dash_builtins_match_qemu() {
    check(
        "debian-shell",
        &[
            row(
                "bash arithmetic",
                &["bash", "-c", "echo $(( (7 * 6) % 5 )) $(( 2 ** 62 )) $(( -7 / 2 )) $(( 0x1f | 8#17 )) \
                  $(( 1 << 63 )) $(( 10 > 3 ? 1 : 0 )); i=5; (( i += 3, i *= 2 )); echo $i"],
            ),
            row(
                "bash arrays",
                &["bash", "-c", "a=(x y z); a+=(w); echo ${#a[@]} ${a[2]} ${a[@]:1:2} ${!a[@]}; \
                  declare -A m=([k]=v [j]=u [a]=b); for k in \"${!m[@]}\"; do echo $k=${m[$k]}; done; \
                  unset 'a[1]'; echo \"${a[@]}\" ${#a[@]}"],
            ),
            row(
                "bash printf",
                &["bash", "-c", "printf '%5.2f|%-6s|%x|%o|%e|%q|%05d|%c|%b\\n' 3.14159 ab 255 8 12345.678 'a b' 42 xyz 'tab\\there'; \
                  printf -v v '%s-%s' a b; echo $v; printf '%(%Y-%m-%d %H:%M:%S)T\\n' 1700000000"],
            ),
            row(
                "bash here-string and read",
                &["bash", "-c", "read -r a b <<< 'hello big world'; echo \"[$b] [$a]\"; \
                  IFS=, read -ra f <<< 'x,y,,z'; echo ${#f[@]} \"${f[3]}\"; \
                  while read -r n; do s=$((s + n)); done <<EOF\n1\n2\n3\nEOF\necho sum $s"],
            ),
            row(
                "bash read a file",
                &["bash", "-c", "n=0; while IFS=, read -r name dept pay; do n=$((n + 1)); \
                  [[ $dept == eng ]] && echo \"$name ${pay}k\"; done < table.csv; echo \"$n lines\"; \
                  mapfile -t w < words.txt; echo ${#w[@]} ${w[-1]}"],
            )
            .files(&["table.csv", "words.txt"]),
            row(
                "bash string operations",
                &["bash", "-c", "s=Hello_World; echo ${s,,} ${s^^} ${s/o/0} ${s//o/0} ${s#*_} ${s%_*} ${#s} ${s:2:3} ${s: -3} \
                  ${u:-default} ${s/#Hello/Bye}; shopt -s extglob; f=file.tar.gz; echo ${f%%.*} ${f##*.} ${f/+(a|e)/_}"],
            ),
            row(
                "bash regex and case",
                &["bash", "-c", "[[ abc123def =~ ^([a-z]+)([0-9]+) ]] && echo ${BASH_REMATCH[2]} ${BASH_REMATCH[1]}; \
                  for x in apple 42 -3 '' ab.c; do case $x in [0-9]*) echo num;; -*) echo neg;; '') echo empty;; \
                  *.*) echo dotted;; *) echo word;; esac; done"],
            ),
            row(
                "bash functions and recursion",
                &["bash", "-c", "fib() { local n=$1; if (( n < 2 )); then echo $n; return; fi; \
                  local a b; a=$(( n - 1 )); b=$(( n - 2 )); echo $(( $(fib0 $a) + $(fib0 $b) )); }; \
                  fib0() { local n=$1 x=0 y=1 t; while (( n-- > 0 )); do t=$y; y=$((x + y)); x=$t; done; echo $x; }; \
                  fib0 90; f() { return $(( $1 * 2 )); }; f 21; echo status $?"],
            ),
            row(
                "bash brace expansion and globs",
                &["bash", "-c", "echo {a..e} {1..10..3} x{A,B}y {08..11}; cd @TREE && echo * sub/*; \
                  shopt -s globstar nullglob; echo **/*.txt; echo nomatch*"],
            ),
            row(
                "bash time zones",
                &["bash", "-c", "for z in Asia/Kolkata America/New_York Europe/London Australia/Lord_Howe; do \
                  TZ=$z printf '%(%F %T %Z %z)T\\n' 1700000000; done"],
            ),
            row(
                "bash traps and signals",
                &["bash", "-c", "trap 'echo got USR1' USR1; kill -USR1 $$; echo after; read -t 0.2 x; \
                  echo read status $?; trap 'echo child exited' CHLD; ( exit 3 ); echo $? $BASH_SUBSHELL; \
                  trap - CHLD; kill -0 $$ && echo alive; kill -9 999999999; echo kill status $?"],
            ),
            row("bash exit status", &["bash", "-c", "exit 7"]),
            row("bash set -e", &["bash", "-c", "set -e; echo before; false; echo after"]),
            row("bash set -u", &["bash", "-c", "set -u; echo $undefined_variable"]),
            row("bash division by zero", &["bash", "-c", "echo $(( 1 / 0 ))"]),
            row("bash command not found", &["bash", "-c", "no-such-command --flag"]),
            row("bash syntax error", &["bash", "-c", "if then fi"]),
            row(
                "bash trap and kill -l",
                &["bash", "-c", "trap 'echo bye $?' EXIT; kill -l 9 15; echo x | { read -r y; echo piped $y; }; exit 3"],
            ),
            row(
                "bash test operators",
                &["bash", "-c", "for f in @TREE/a.txt @TREE/empty @TREE/sub @TREE/link @TREE/none; do \
                  printf '%s:' ${f##*/}; [ -f $f ] && printf f; [ -d $f ] && printf d; [ -L $f ] && printf L; \
                  [ -s $f ] && printf s; [ -x $f ] && printf x; [ -e $f ] || printf '!'; echo; done; \
                  [[ @TREE/a.txt -nt @TREE/b.txt ]] && echo newer; test 3 -lt 4 && test abc \\< abd && echo ok"],
            ),
            row(
                "bash type and hash",
                &["bash", "-c", "type cd echo ls; command -v sort; type -t fn; fn() { :; }; type -t fn; \
                  echo ${BASH_VERSINFO[0]}; echo \"$(echo sub; exit 2)\" $?"],
            ),
            row(
                "dash",
                &["dash", "-c", "i=0; while [ $i -lt 5 ]; do i=$((i + 1)); printf '%d ' $((i * i)); done; echo; \
                  x=${HOME:+set}; echo $x ${#x}; set -- a b c; echo $# $2; exit 4"],
            ),
        ],
    );
}

#[test]
fn coreutils_match_qemu() {
    const WORDS: &[&str] = &["words.txt"];
    const NUMBERS: &[&str] = &["numbers.txt"];
    const TABLE: &[&str] = &["table.csv"];
    check(
        "debian-coreutils",
        &[
            row("ls -l", &["ls", "-l", "@TREE"]),
            row(
                "ls -laR full-iso",
                &["ls", "-laR", "--time-style=full-iso", "@TREE/sub"],
            ),
            row(
                "ls -1 sorted by size and time",
                &["ls", "-1Ss", "@TREE", "@TREE/sub"],
            ),
            row(
                "ls -lt --full-time",
                &["ls", "-lt", "--full-time", "-i", "@TREE"],
            ),
            row("ls missing", &["ls", "/nonexistent", "@TREE/a.txt"]),
            row(
                "stat -c",
                &[
                    "stat",
                    "-c",
                    "%n|%s|%Y|%y|%A|%a|%F|%h|%U|%G|%N",
                    "@TREE/a.txt",
                    "@TREE/b.txt",
                    "@TREE/run.sh",
                    "@TREE/empty",
                    "@TREE/sub",
                    "@TREE/link",
                ],
            ),
            row(
                "stat -L -c",
                &["stat", "-L", "-c", "%s %a %F", "@TREE/link"],
            ),
            row("du -ab", &["du", "-ab", "@TREE"]),
            row(
                "find -printf",
                &[
                    "find",
                    "@TREE",
                    "-printf",
                    "%P|%y|%m|%s|%TY-%Tm-%Td %TT|%l\\n",
                ],
            ),
            row(
                "find -newer -name",
                &["find", "@TREE", "-newer", "@TREE/b.txt", "-name", "*.txt"],
            ),
            row(
                "realpath",
                &["realpath", "@TREE/sub/deeper/../c.txt", "@TREE/link"],
            ),
            row("readlink -f", &["readlink", "-f", "@TREE/link"]),
            row(
                "basename dirname",
                &["basename", "-a", "-s", ".txt", "/a/b/c.txt", "d.txt"],
            ),
            row("dirname", &["dirname", "/a/b/c.txt", "d", "/"]),
            row("sort", &["sort", "words.txt"]).files(WORDS),
            row("sort -n", &["sort", "-n", "numbers.txt"]).files(NUMBERS),
            row("sort -g -r", &["sort", "-g", "-r", "numbers.txt"]).files(NUMBERS),
            row(
                "sort -t, -k3,3n -k1,1r",
                &["sort", "-t,", "-k3,3n", "-k1,1r", "table.csv"],
            )
            .files(TABLE),
            row("sort -u -f", &["sort", "-u", "-f", "words.txt"]).files(WORDS),
            row("sort -c unsorted", &["sort", "-c", "words.txt"]).files(WORDS),
            row("uniq -c", &["uniq", "-c"]).stdin(b"a\na\nb\nc\nc\nc\na\n"),
            row("uniq -d -i", &["uniq", "-d", "-i"]).stdin(b"x\nX\ny\nz\nZ\nz\n"),
            row("cut -d -f", &["cut", "-d,", "-f1,3", "table.csv"]).files(TABLE),
            row("cut -c", &["cut", "-c2-4,6", "words.txt"]).files(WORDS),
            row("tr a-z A-Z", &["tr", "a-z", "A-Z"]).stdin(b"Hello, World!\n"),
            row("tr -d -s", &["tr", "-s", " ", "-d", "aeiou"]).stdin(b"education   is    fun\n"),
            row("tr classes", &["tr", "[:lower:][:digit:]", "[:upper:]#"]).stdin(b"abc 123 xyz\n"),
            row("wc", &["wc", "words.txt", "table.csv"]).files(&["words.txt", "table.csv"]),
            row("wc -lwcm stdin", &["wc", "-lwcm"]).stdin(b"one two\nthree\n\nfour five six\n"),
            row("head -n", &["head", "-n", "3", "words.txt"]).files(WORDS),
            row("head -c -n -5", &["head", "-n", "-15", "words.txt"]).files(WORDS),
            row("tail -n +", &["tail", "-n", "+18", "words.txt"]).files(WORDS),
            row("tail -c", &["tail", "-c", "12", "words.txt"]).files(WORDS),
            row("seq", &["seq", "-s", ",", "-w", "8", "3", "20"]),
            row("seq fractional", &["seq", "1", "0.25", "2"]),
            row("seq -f", &["seq", "-f", "%.3e", "1", "1000", "4000"]),
            row("expr arithmetic", &["expr", "6", "*", "7", "+", "1"]),
            row("expr match", &["expr", "abcdef", ":", "a\\(.*\\)e"]),
            row("expr false", &["expr", "3", "-", "3"]),
            row("expr division by zero", &["expr", "1", "/", "0"]),
            row("od -An -tx1", &["od", "-An", "-tx1", "table.csv"]).files(TABLE),
            row("od -c -tx2", &["od", "-Ax", "-c", "-N", "40", "words.txt"]).files(WORDS),
            row("od -td8 -tf8", &["od", "-td8", "-tf8", "-N", "32"]).stdin(
                b"\x01\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\xf0\x3f0123456789abcdef",
            ),
            row("base64", &["base64", "words.txt"]).files(WORDS),
            row("base64 -d", &["base64", "-d"]).stdin(b"aGVsbG8sIHJpc2N2IHdvcmxkIQo=\n"),
            row("base64 -d invalid", &["base64", "-d"]).stdin(b"not base64 !!\n"),
            row("md5sum", &["md5sum", "words.txt", "table.csv"]).files(&["words.txt", "table.csv"]),
            row("sha1sum", &["sha1sum", "words.txt"]).files(WORDS),
            row(
                "sha256sum",
                &["sha256sum", "/usr/share/common-licenses/GPL-3"],
            ),
            row("sha512sum", &["sha512sum", "table.csv"]).files(TABLE),
            row("b2sum cksum", &["cksum", "-a", "blake2b", "table.csv"]).files(TABLE),
            row("cksum crc", &["cksum", "/usr/share/common-licenses/GPL-2"]),
            row("date -u -d @", &["date", "-u", "-d", "@1700000000"]),
            row(
                "date -d format",
                &[
                    "date",
                    "-d",
                    "2021-03-04 05:06:07 +0130",
                    "+%Y-%m-%d %H:%M:%S %j %A %s %z %U %V",
                ],
            ),
            row(
                "date -R -d",
                &["date", "-R", "-d", "1999-12-31 23:59:59 UTC + 1 day"],
            ),
            row("date invalid", &["date", "-d", "not a date"]),
            row(
                "printf",
                &[
                    "printf",
                    "%5.2f|%-4s|%x|%o|%c|%%|%s|%e|%i\\n",
                    "3.14159",
                    "ab",
                    "255",
                    "8",
                    "xyz",
                    "two words",
                    "12345.678",
                    "0x10",
                ],
            ),
            row(
                "factor",
                &[
                    "factor",
                    "360",
                    "1000003",
                    "600851475143",
                    "18446744073709551615",
                ],
            ),
            row(
                "numfmt",
                &["numfmt", "--to=iec", "1024", "1048576", "123456789"],
            ),
            row("nl", &["nl", "-ba", "-s", ": ", "table.csv"]).files(TABLE),
            row("tac", &["tac", "table.csv"]).files(TABLE),
            row("paste", &["paste", "-d:", "words.txt", "table.csv"])
                .files(&["words.txt", "table.csv"]),
            row("join", &["join", "-t,", "a.csv", "b.csv"]).files(&["a.csv", "b.csv"]),
            row("comm", &["comm", "a.txt", "b.txt"]).files(&["a.txt", "b.txt"]),
            row("fold fmt", &["fold", "-w", "7", "table.csv"]).files(TABLE),
            row("tsort", &["tsort"]).stdin(b"a b\nb c\na d\nd c\ne e\n"),
            row("cat -A", &["cat", "-A"]).stdin(b"tab\there\r\n\x01ctrl\xc3\xa9\n"),
            row(
                "dd",
                &[
                    "dd",
                    "if=words.txt",
                    "bs=7",
                    "skip=2",
                    "count=3",
                    "status=none",
                ],
            )
            .files(WORDS),
            row(
                "printenv",
                &[
                    "printenv",
                    "LC_ALL",
                    "TZ",
                    "PATH",
                    "PYTHONDONTWRITEBYTECODE",
                ],
            ),
            row("id", &["id"]),
            row("uname -msp", &["uname", "-m", "-s", "-o"]),
            row("getconf", &["getconf", "LONG_BIT"]),
            row("nproc", &["nproc", "--all"]),
            row("true", &["true"]),
            row("false", &["false"]),
            row("test -d", &["test", "-d", "@TREE/sub"]),
            row("cat missing", &["cat", "words.txt", "missing.txt"]).files(WORDS),
            row("sort bad key", &["sort", "-k0", "words.txt"]).files(WORDS),
            row("ls bad option", &["ls", "--no-such-option"]),
        ],
    );
}

#[test]
fn grep_sed_mawk_diff_match_qemu() {
    const WORDS: &[&str] = &["words.txt"];
    const TABLE: &[&str] = &["table.csv"];
    check(
        "debian-text",
        &[
            row("grep -n", &["grep", "-n", "an", "words.txt"]).files(WORDS),
            row("grep -c -E", &["grep", "-c", "-E", "^(a|b|c)", "words.txt"]).files(WORDS),
            row("grep -v -i -w", &["grep", "-v", "-i", "-w", "APPLE", "words.txt"]).files(WORDS),
            row("grep -o -P", &["grep", "-o", "-P", "[aeiou]{2}", "words.txt"]).files(WORDS),
            // PCRE2 compiles each pattern to RISC-V code in an RWX mapping (its JIT).
            row("grep -P JIT backreference", &["grep", "-c", "-P", "^(\\d)\\d*\\1$", "medium.txt"]).files(&["medium.txt"]),
            row(
                "grep -P JIT lookaround",
                &["grep", "-n", "-m", "5", "-o", "-P", "(?<=^1)(\\d)\\1+(?=\\d)|(?i)X?7{3}", "big.txt"],
            )
            .files(&["big.txt"]),
            row("grep -r", &["grep", "-r", "-n", "--include=*.txt", "a", "@TREE"]),
            row("grep -q no match", &["grep", "-q", "kiwifruit", "words.txt"]).files(WORDS),
            row("grep missing file", &["grep", "x", "missing.txt"]),
            row("grep bad regex", &["grep", "-E", "a(b", "words.txt"]).files(WORDS),
            row("sed -n", &["sed", "-n", "2,4p;$=", "words.txt"]).files(WORDS),
            row("sed s///g and d", &["sed", "-e", "s/an/AN/g", "-e", "/^c/d", "words.txt"]).files(WORDS),
            row("sed -E groups", &["sed", "-E", "s/^([a-z]+),([a-z]+),/\\2:\\1:/", "table.csv"]).files(TABLE),
            row("sed y and hold space", &["sed", "-n", "y/abc/ABC/;1h;1!H;${x;s/\\n/+/g;p}", "words.txt"]).files(WORDS),
            row("sed bad script", &["sed", "s/a/b", "words.txt"]).files(WORDS),
            row(
                "mawk sums",
                &["mawk", "-F,", "NR > 1 { s += $3; n++; by[$2] += $3 } END { printf \"%d %.3f\\n\", s, s / n; \
                  print by[\"eng\"], by[\"ops\"], by[\"sales\"] }", "table.csv"],
            )
            .files(TABLE),
            row(
                "mawk math and strings",
                &["mawk", "BEGIN { print sin(1), cos(2), exp(2), log(10), sqrt(2), int(-3.7), 2^10; \
                  print length(\"hello\"), substr(\"riscv64\", 2, 3), toupper(\"x\"), index(\"abc\", \"c\"); \
                  printf \"%.17g %5.1f %x %c|%-5s|\\n\", 0.1 + 0.2, 1e3 / 7, 48879, 65, \"ab\"; \
                  s = \"a-b-c\"; n = split(s, p, \"-\"); gsub(/-/, \"+\", s); print n, p[3], s; \
                  x = \"foo bar\"; sub(/o+/, \"0\", x); print x, match(x, /ba/), RSTART, RLENGTH }"],
            ),
            row(
                "mawk fields and arrays",
                &["mawk", "{ c[$1]++; n = NR } END { for (w in c) if (c[w] > 1) k++; print n, k; print NF, $NF }", "words.txt"],
            )
            .files(WORDS),
            row("mawk syntax error", &["mawk", "BEGIN { print ( }"]),
            row("diff", &["diff", "a.txt", "b.txt"]).files(&["a.txt", "b.txt"]),
            row("diff -u labels", &["diff", "-u", "--label", "old", "--label", "new", "a.txt", "b.txt"]).files(&["a.txt", "b.txt"]),
            row("diff same", &["diff", "-s", "a.txt", "a.txt"]).files(&["a.txt"]),
            row("diff -r", &["diff", "-r", "@TREE", "@TREE/sub"]),
            row("cmp", &["cmp", "a.txt", "b.txt"]).files(&["a.txt", "b.txt"]),
            row("cmp -l", &["cmp", "-l", "a.txt", "b.txt"]).files(&["a.txt", "b.txt"]),
        ],
    );
}

#[test]
fn perl_matches_qemu() {
    check(
        "debian-perl",
        &[
            row(
                "perl regexes",
                &["perl", "-e", r#"$_ = "2024-01-15 and 1999-12-31"; my @d = /(\d+)-(\d+)-(\d+)/g; print "@d\n";
                  (my $s = "Hello World") =~ s/(\w+)/\u\L$1/g; print "$s\n";
                  print join("|", split /\s*,\s*/, "a , b,c ,, d"), "\n";
                  print "named: $+{y}\n" if "v=2023" =~ /v=(?<y>\d{4})/;
                  my $t = "aaa bbb ccc"; (my $u = $t) =~ tr/a-c/A-C/; print "$u ", ($t =~ tr/a//), "\n";
                  print "non-greedy: ", "<<a>><<b>>" =~ /<<(.+?)>>/, "\n";"#],
            ),
            row(
                "perl sprintf and numbers",
                &["perl", "-e", r#"printf "%.3e %08.3f %x %o %b %s %5s|%-5s|\n", 12345.678, 3.14159, 255, 8, 10, "str", "r", "l";
                  print 2**53 + 1, " ", 9**20, " ", 7 / 2, " ", int(-7 / 2), " ", -7 % 3, " ", 0.1 + 0.2, "\n";
                  printf "%.15g %.17g %g %s\n", atan2(1, 1) * 4, 1 / 3, 1e100, 1e21;
                  print 0x7fffffffffffffff, " ", ~0, " ", 1 << 40, " ", sqrt(2), " ", exp(1), "\n";"#],
            ),
            row(
                "perl hashes and sort",
                &["perl", "-lne", r#"$c{$_}++; END { print "$_ $c{$_}" for sort { $c{$b} <=> $c{$a} || $a cmp $b } keys %c;
                  print scalar(keys %c), " distinct" }"#, "words.txt"],
            )
            .files(&["words.txt"]),
            row(
                "perl pack and unpack",
                &["perl", "-e", r#"my $b = pack("NnC a4 Z* w q< d>", 0xdeadbeef, 513, 7, "ab", "zs", 300, -2, 1.5);
                  print unpack("H*", $b), "\n"; my @v = unpack("NnC a4 Z* w q< d>", $b); print "@v\n";
                  print join(",", unpack("(A2)*", "aabbccd")), " ", unpack("%32C*", "checksum"), "\n";"#],
            ),
            row(
                "perl List::Util and POSIX",
                &["perl", "-MList::Util=sum,max,min,first,reduce,shuffle,uniq", "-MPOSIX=floor,ceil,strftime,fmod", "-e",
                  r#"my @n = (3, 9, -2, 7, 9); print sum(@n), " ", max(@n), " ", min(@n), " ", first { $_ > 4 } @n;
                  print " ", reduce { $a * $b } 1 .. 10; print " ", join(",", uniq @n), "\n";
                  print floor(-2.5), " ", ceil(2.1), " ", fmod(10, 3), " ", strftime("%Y-%m-%d %H:%M:%S %a %j", gmtime(1700000000)), "\n";
                  $ENV{TZ} = "UTC"; POSIX::tzset(); print strftime("%c", localtime(86400 * 365)), "\n";"#],
            ),
            row(
                "perl digests and encodings",
                &["perl", "-MDigest::MD5=md5_hex", "-MDigest::SHA=sha256_hex", "-MMIME::Base64", "-MEncode", "-e",
                  r#"print md5_hex("riscv"), " ", sha256_hex("riscv"), "\n", encode_base64("binary\x00\xff data");
                  my $u = decode("UTF-8", "caf\xc3\xa9 \xe2\x98\xba"); print length($u), " ", length(encode("UTF-16LE", $u)), " ",
                  join(",", map { sprintf "U+%04X", ord } split //, $u), "\n";"#],
            ),
            row(
                "perl Data::Dumper and JSON::PP",
                &["perl", "-MData::Dumper", "-MJSON::PP", "-e",
                  r#"$Data::Dumper::Sortkeys = 1; $Data::Dumper::Indent = 1; my $d = { list => [1, "two", 3.5], h => { k => undef } };
                  print Dumper($d); print JSON::PP->new->canonical->encode($d), "\n";
                  print JSON::PP->new->canonical->pretty->encode(decode_json('{"b":[true,false,null],"a":1e3}'));"#],
            ),
            row(
                "perl Math::BigInt and Storable",
                &["perl", "-MMath::BigInt", "-MStorable=freeze,thaw", "-e",
                  r#"print Math::BigInt->new(2)->bpow(200), " ", Math::BigInt->new(100)->bfac()->length, "\n";
                  my $c = thaw(freeze({ a => [1 .. 5] })); print "@{$c->{a}}\n";"#],
            ),
            row(
                "perl file I/O and sprintf list",
                &["perl", "-e", r#"open my $f, "<", "table.csv" or die; my $h = <$f>; my %t;
                  while (<$f>) { chomp; my ($n, $d, $p) = split /,/; push @{$t{$d}}, "$n=$p" }
                  print map { "$_: @{$t{$_}}\n" } sort keys %t; printf "%s has %d bytes\n", "table.csv", -s "table.csv";
                  opendir my $dh, "@TREE" or die; print join(" ", sort grep { !/^\./ } readdir $dh), "\n";"#],
            )
            .files(&["table.csv"]),
            row(
                "perl fork, pipe and alarm",
                &["perl", "-e", r#"my $p = fork; if ($p == 0) { print "child\n"; exit 7 } waitpid($p, 0); print "parent ", $? >> 8, "\n";
                  pipe(my $r, my $w); if (!fork) { close $r; print $w "via pipe\n"; exit 0 } close $w; print scalar <$r>; wait;
                  local $SIG{ALRM} = sub { print "alarm\n" }; alarm 1; select(undef, undef, undef, 1.5); print "done\n";
                  $SIG{USR1} = sub { print "usr1\n" }; kill "USR1", $$; print "after kill\n";"#],
            ),
            row(
                "perl time zones",
                &["perl", "-MPOSIX", "-e", r#"for my $z (qw(Asia/Tokyo America/Sao_Paulo Europe/Berlin)) {
                  $ENV{TZ} = $z; tzset(); print strftime("%F %T %Z %z", localtime(1700000000)), "\n" }"#],
            ),
            row("perl die", &["perl", "-e", r#"print "before\n"; die "boom at the end\n""#]),
            row("perl exit", &["perl", "-e", "exit 3"]),
            row("perl syntax error", &["perl", "-e", "print 1 +;"]),
            row("perl warnings", &["perl", "-we", r#"my $x; print "value: ", $x + 1, "\n"; warn "careful\n""#]),
        ],
    );
}

#[test]
fn python_matches_qemu() {
    check(
        "debian-python",
        &[
            row(
                "python json",
                &["python3", "-c", "import json\nd = json.load(open('data.json'))\nd['tags'].append('vm')\n\
                  print(json.dumps(d, sort_keys=True))\nprint(json.dumps(d, indent=2, sort_keys=True))\n\
                  print(json.loads('[1e400, -0.0, 1.5e-7, \"\\\\u00e9\"]'))"],
            )
            .files(&["data.json"]),
            row(
                "python re",
                &["python3", "-c", "import re\ns = 'Mail ann@example.com and bob.smith@test.org; call 555-1234.'\n\
                  print(re.findall(r'[\\w.]+@[\\w.]+\\w', s))\nprint(re.sub(r'(\\d{3})-(\\d{4})', r'\\2-\\1', s))\n\
                  m = re.match(r'(?P<w>\\w+) (?P<r>.*)', s); print(m.group('w'), m.span('r'))\n\
                  print(re.split(r'[;,.]\\s*', s), re.compile(r'a+', re.I).subn('_', 'AaBaaC'))"],
            ),
            row(
                "python hashlib",
                &["python3", "-c", "import hashlib\nfor n in ('md5', 'sha1', 'sha256', 'sha512', 'sha3_256', 'blake2b', 'blake2s'):\n\
                  \x20   print(n, hashlib.new(n, b'riscv' * 1000).hexdigest())\n\
                  print(hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 1000).hex())"],
            ),
            row(
                "python struct",
                &["python3", "-c", "import struct\nb = struct.pack('<IhQd3sx?', 0xdeadbeef, -2, 2**63, 1.5, b'abc', True)\n\
                  print(b.hex(), len(b), struct.calcsize('@ihq'))\nprint(struct.unpack('<IhQd3sx?', b))\n\
                  print(struct.pack('>f', 3.14159).hex(), struct.unpack('>e', b'\\x3c\\x00'))"],
            ),
            row(
                "python math",
                &["python3", "-c", "import math\nprint(math.sqrt(2), math.log(10), math.exp(1), math.sin(1), math.atan2(1, -1))\n\
                  print(math.factorial(50), math.gcd(2**40, 6**20), math.comb(60, 30), math.isqrt(10**40))\n\
                  print(math.fsum([0.1] * 10), sum([0.1] * 10), math.inf, -math.nan, math.copysign(0.0, -1))\n\
                  print(repr(0.1 + 0.2), (2.5).hex(), float.fromhex('0x1.8p3'), round(2.675, 2), 1e16 + 1, 7 // -2, -7 % 3)\n\
                  print(pow(3, 1000, 10**9 + 7), 2**200, (10**30) // 7, divmod(-17, 5), f'{1/3:.20f} {12345.6789:,.2f} {255:#x}')"],
            ),
            row(
                "python decimal and fractions",
                &["python3", "-c", "from decimal import Decimal, getcontext\nfrom fractions import Fraction\n\
                  getcontext().prec = 50\nprint(Decimal(2).sqrt(), Decimal(1) / Decimal(7), Decimal('1.1') + Decimal('2.2'))\n\
                  print(sum(Fraction(1, n) for n in range(1, 21)), Fraction(3.75), Fraction('22/7') - Fraction(355, 113))"],
            ),
            row(
                "python itertools and collections",
                &["python3", "-c", "import itertools as it, collections as c\n\
                  print(list(it.permutations('abc', 2)), list(it.combinations(range(5), 3))[-2:])\n\
                  print(list(it.accumulate(range(1, 11), lambda a, b: a * b))[-1], list(it.islice(it.cycle('xy'), 5)))\n\
                  print(c.Counter(open('words.txt').read().split()).most_common(3))\n\
                  print(list(it.groupby(sorted('mississippi'))) and [(k, len(list(g))) for k, g in it.groupby(sorted('mississippi'))])\n\
                  d = c.OrderedDict(b=1, a=2); d.move_to_end('b'); print(d, c.deque(range(5), maxlen=3))"],
            )
            .files(&["words.txt"]),
            row(
                "python zlib bz2 lzma",
                &["python3", "-c", "import zlib, bz2, lzma\ndata = open('words.txt', 'rb').read() * 50\n\
                  z = zlib.compress(data, 9); print(len(z), zlib.crc32(data), zlib.adler32(data), z[:16].hex())\n\
                  print(zlib.decompress(z) == data, len(bz2.compress(data)), bz2.decompress(bz2.compress(data)) == data)\n\
                  x = lzma.compress(data, preset=6); print(len(x), lzma.decompress(x) == data)"],
            )
            .files(&["words.txt"]),
            row(
                "python datetime and calendar",
                &["python3", "-c", "import datetime as dt, calendar, time\n\
                  t = dt.datetime.fromtimestamp(1700000000, dt.timezone.utc); print(t.isoformat(), t.strftime('%A %j %U'))\n\
                  print(t + dt.timedelta(days=100, hours=5), dt.date(2024, 2, 29).weekday(), time.gmtime(0))\n\
                  print(calendar.month(2024, 2))"],
            ),
            row(
                "python sqlite3",
                &["python3", "-c", "import sqlite3\ndb = sqlite3.connect(':memory:')\n\
                  db.execute('create table t (name text, dept text, pay int)')\n\
                  import csv\nrows = list(csv.reader(open('table.csv')))[1:]\ndb.executemany('insert into t values (?, ?, ?)', rows)\n\
                  for r in db.execute('select dept, count(*), sum(pay), avg(pay) from t group by dept order by 3 desc'): print(r)\n\
                  print(sqlite3.sqlite_version_info >= (3, 0, 0))"],
            )
            .files(&["table.csv"]),
            row(
                "python unicode and text",
                &["python3", "-c", "import unicodedata, textwrap, difflib\n\
                  s = 'Stra\\u00dfe caf\\u00e9 \\u263a \\U0001F600'; print(s.upper(), len(s), s.encode('utf-8').hex(), ascii(s))\n\
                  print([unicodedata.name(ch) for ch in s[-3:] if ch != ' '], unicodedata.normalize('NFD', 'caf\\u00e9').encode())\n\
                  print(textwrap.fill('the quick brown fox jumps over the lazy dog ' * 3, 30))\n\
                  print(list(difflib.unified_diff(['a', 'b', 'c'], ['a', 'x', 'c'], lineterm='')))"],
            ),
            row(
                "python random with a seed",
                &["python3", "-c", "import random, statistics\nrandom.seed(42)\n\
                  print(random.random(), random.randint(1, 10**12), random.sample(range(100), 5))\n\
                  xs = [random.gauss(0, 1) for _ in range(1000)]; print(round(statistics.mean(xs), 12), round(statistics.stdev(xs), 12))"],
            ),
            row(
                "python classes and generators",
                &["python3", "-c", "from dataclasses import dataclass, field\n@dataclass(order=True)\n\
                  class P:\n    x: int\n    y: int = 0\n    tags: list = field(default_factory=list, compare=False)\n\
                  ps = sorted([P(3, 1), P(1, 2), P(3, 0)]); print(ps)\n\
                  def primes():\n    n = 2\n    while True:\n        if all(n % d for d in range(2, int(n ** 0.5) + 1)): yield n\n        n += 1\n\
                  import itertools; print(list(itertools.islice(primes(), 25)))\n\
                  print({k: v for k, v in zip('abc', range(3))}, sorted(['b', 'A', 'c'], key=str.lower))"],
            ),
            row(
                "python os and files",
                &["python3", "-c", "import os, stat\nfor e in sorted(os.scandir('@TREE'), key=lambda e: e.name):\n\
                  \x20   st = e.stat(follow_symlinks=False); print(e.name, e.is_dir(), e.is_symlink(), stat.filemode(st.st_mode), st.st_size, int(st.st_mtime))\n\
                  print(sorted(os.listdir('@TREE/sub')), os.path.getsize('@TREE/sub/c.txt'), os.readlink('@TREE/link'))\n\
                  print([(d[len('@TREE'):], sorted(f)) for d, _, f in sorted(os.walk('@TREE'))])\n\
                  open('out.txt', 'w').write('x' * 10); print(os.path.getsize('out.txt'), os.uname().machine, os.cpu_count() > 0)"],
            ),
            // The script comes on stdin: a traceback names a script file by its absolute
            // path, and each run has a directory of its own.
            row("python script on stdin", &["python3", "-", "3", "words.txt"])
                .files(&["words.txt"])
                .stdin(include_bytes!("../../../../tests/debian/inputs/prog.py")),
            row(
                "python file system calls",
                &["python3", "-c", "import os, stat, shutil\nos.makedirs('a/b/c', exist_ok=True)\nopen('a/f', 'w').write('x' * 100)\n\
                  os.symlink('f', 'a/l'); os.link('a/f', 'a/h'); os.utime('a/f', (1000000000, 1200000000))\n\
                  st = os.stat('a/f'); print(st.st_size, st.st_nlink, int(st.st_mtime), int(st.st_atime), stat.filemode(st.st_mode))\n\
                  print(sorted(os.listdir('a')), os.readlink('a/l'), os.path.realpath('a/l').endswith('a/f'))\n\
                  os.rename('a/h', 'a/b/h'); os.chmod('a/b/h', 0o600); print(oct(os.stat('a/b/h').st_mode))\n\
                  fd = os.open('a/g', os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o640); os.write(fd, b'abc'); os.ftruncate(fd, 10)\n\
                  os.fsync(fd); os.close(fd); print(os.path.getsize('a/g'), os.pread(os.open('a/g', os.O_RDONLY), 4, 1))\n\
                  for call in (lambda: os.open('a/g', os.O_CREAT | os.O_EXCL), lambda: os.rmdir('a'), lambda: os.mkdir('a/f/x'),\n\
                  \x20            lambda: os.readlink('a/f'), lambda: os.unlink('a/b')):\n\
                  \x20   try: call()\n    except OSError as e: print(e.errno, e.strerror)\n\
                  d = os.open('a', os.O_RDONLY | os.O_DIRECTORY); print(os.stat('f', dir_fd=d).st_size, sorted(os.listdir(d)))\n\
                  shutil.rmtree('a'); print(os.listdir('.'))"],
            ),
            row(
                "python pipes, poll, mmap, signals, sockets",
                &["python3", "-c", "import os, select, fcntl, mmap, signal, time, socket\n\
                  r, w = os.pipe(); os.write(w, b'hello'); print(select.select([r], [], [], 0)[0] == [r])\n\
                  p = select.poll(); p.register(r, select.POLLIN); print(p.poll(0), os.read(r, 10), p.poll(0))\n\
                  e = select.epoll(); e.register(r, select.EPOLLIN); os.write(w, b'x'); print(e.poll(0))\n\
                  os.set_blocking(r, False); os.read(r, 1)\ntry: os.read(r, 1)\nexcept BlockingIOError as ex: print('EAGAIN', ex.errno)\n\
                  m = mmap.mmap(-1, 8192); m[:5] = b'abcde'; m.seek(0); print(m.read(5), len(m)); m.close()\n\
                  got = []; signal.signal(signal.SIGUSR1, lambda s, f: got.append(s)); os.kill(os.getpid(), signal.SIGUSR1)\n\
                  signal.signal(signal.SIGALRM, lambda s, f: got.append('alarm')); signal.setitimer(signal.ITIMER_REAL, 0.05)\n\
                  time.sleep(0.3); print(got)\n\
                  a, b = socket.socketpair(); a.sendall(b'ping'); print(b.recv(10)); a.close(); print(b.recv(10))\n\
                  print(os.getuid(), os.getgid(), os.isatty(0), os.sched_getaffinity(0) == set(range(os.cpu_count())))"],
            ),
            row(
                "python fork and wait",
                &["python3", "-c", "import os\nr, w = os.pipe()\npid = os.fork()\nif pid == 0:\n    os.close(r); os.write(w, b'from child'); os._exit(5)\n\
                  os.close(w); print(os.read(r, 100)); _, st = os.waitpid(pid, 0); print(os.WEXITSTATUS(st))\n\
                  pid = os.fork()\nif pid == 0:\n    os.kill(os.getpid(), 15)\n_, st = os.waitpid(pid, 0); print(os.WIFSIGNALED(st), os.WTERMSIG(st))"],
            ),
            row(
                "python sys and argv",
                &["python3", "-c", "import sys; print(sys.version_info[:2] >= (3, 11), sys.platform, sys.byteorder, sys.maxsize, sys.argv)", "arg1", "two words"],
            ),
            row(
                "python json.tool",
                &["python3", "-m", "json.tool", "--sort-keys", "data.json"],
            )
            .files(&["data.json"]),
            row(
                "python traceback",
                &["python3", "-c", "import json\ndef parse(s):\n    return json.loads(s)\nprint('start')\nparse('{\"a\": }')"],
            ),
            row("python sys.exit(3)", &["python3", "-c", "import sys\nprint('exiting')\nsys.exit(3)"]),
            row("python syntax error", &["python3", "-c", "def f(:\n    pass"]),
            row("python missing module", &["python3", "-c", "import no_such_module_here"]),
            row("python unix sockets and SCM_RIGHTS", &["python3", "unix_sockets.py"]).files(&["unix_sockets.py"]),
            row("python sched, rlimits, itimers, mmap, poll", &["python3", "kernel_calls.py"]).files(&["kernel_calls.py"]),
            row("python inotify", &["python3", "inotify.py"]).files(&["inotify.py"]),
            row("python sendfile, splice, locks, sigwait, TCP", &["python3", "file_and_net_io.py"])
                .files(&["file_and_net_io.py"]),
            row("python low RLIMIT_NOFILE and mmap", &["python3", "low_nofile.py"]).files(&["low_nofile.py"]),
        ],
    );
}

#[test]
fn archivers_and_binutils_match_qemu() {
    const WORDS: &[&str] = &["words.txt"];
    check(
        "debian-archives",
        &[
            row("gzip -9nc", &["gzip", "-9nc", "words.txt"]).files(WORDS),
            row(
                "gzip -c GPL",
                &["gzip", "-6nc", "/usr/share/common-licenses/GPL-3"],
            ),
            // gunzip, zcat and xzcat are shell scripts: they are run by bash below.
            row("gzip -dc", &["gzip", "-dc", "words.gz"]).files(&["words.gz"]),
            row("gzip -l", &["gzip", "-l", "words.gz"]).files(&["words.gz"]),
            row("gzip -t corrupt", &["gzip", "-t", "words.txt"]).files(WORDS),
            row("gzip stdin", &["gzip", "-1", "-n"])
                .stdin(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbb\n"),
            row("xz -T1 compress", &["xz", "-T1", "-9c", "words.txt"]).files(WORDS),
            row(
                "xz -T1 compress GPL",
                &["xz", "-T1", "-6e", "-c", "/usr/share/common-licenses/GPL-3"],
            ),
            row("xz -T1 -dc", &["xz", "-T1", "-dc", "words.xz"]).files(&["words.xz"]),
            row("xz -T1 -l", &["xz", "-T1", "-lvv", "words.xz"]).files(&["words.xz"]),
            row("xz -T1 -t not xz", &["xz", "-T1", "-t", "words.txt"]).files(WORDS),
            row(
                "xz lzma format",
                &["xz", "-T1", "--format=lzma", "-c", "words.txt"],
            )
            .files(WORDS),
            row(
                "tar -cf tree",
                &["tar", "--sort=name", "-cf", "-", "-C", "@TREE", "."],
            ),
            row("tar -tvf", &["tar", "-tvf", "tree.tar"]).files(&["tree.tar"]),
            row("tar -xvf", &["tar", "-xvf", "tree.tar", "./sub"]).files(&["tree.tar"]),
            row(
                "tar -xOf",
                &["tar", "-xOf", "tree.tar", "./sub/c.txt", "./a.txt"],
            )
            .files(&["tree.tar"]),
            row(
                "tar missing member",
                &["tar", "-xf", "tree.tar", "no-such-member"],
            )
            .files(&["tree.tar"]),
            row("readelf", &["readelf", "-hlSd", "/usr/bin/bash"]),
            row(
                "objdump -dr crt1.o",
                &["objdump", "-dr", "/usr/lib/riscv64-linux-gnu/crt1.o"],
            ),
            row(
                "nm -D libm",
                &[
                    "nm",
                    "-D",
                    "--defined-only",
                    "/usr/lib/riscv64-linux-gnu/libm.so.6",
                ],
            ),
            row(
                "ar t libc.a",
                &["ar", "t", "/usr/lib/riscv64-linux-gnu/libc.a"],
            ),
            row(
                "size strings",
                &["strings", "-n", "12", "/usr/lib/riscv64-linux-gnu/crt1.o"],
            ),
            row(
                "cc1 -O2",
                &[
                    "@CC1",
                    "-quiet",
                    "-nostdinc",
                    "-O2",
                    "-march=rv64gc",
                    "-mabi=lp64d",
                    "work.c",
                    "-o",
                    "-",
                ],
            )
            .files(&["work.c"]),
            row(
                "cc1 error",
                &[
                    "@CC1",
                    "-quiet",
                    "-nostdinc",
                    "-march=rv64gc",
                    "-mabi=lp64d",
                    "-",
                    "-o",
                    "-",
                ],
            )
            .stdin(b"int main(void) { return undeclared; }\n"),
            row("as", &["as", "-march=rv64gc", "-o", "out.o", "-"])
                .stdin(b"  .text\n  .globl f\nf:\n  addi a0, a0, 1\n  ret\n  bogus x\n"),
            row("gcc --version", &["gcc", "--version"]),
        ],
    );
}

#[test]
fn pipelines_and_subprocesses_under_vm_give_what_linux_gives() {
    const WORDS: &[&str] = &["words.txt"];
    let failures = check_scripts(
        "debian-scripts",
        &[
            native_script("pipeline seq sort head", "seq 1 1000 | sort -rn | head -3"),
            native_script("pipeline of five", "cat words.txt | tr a-z A-Z | sort | uniq -c | sort -k1,1nr -k2 | head -4").files(WORDS),
            script("pipeline into mawk", "seq 10000 | mawk '{ s += $1 } END { print s, NR }'", "50005000 10000\n", 0),
            native_script(
                "command substitution",
                "x=$(echo hi | tr a-z A-Z); n=$(ls @TREE | wc -l); echo \"[$x] $n $(basename $(dirname /a/b/c))\"; \
                 lines=( $(seq 3) ); echo ${#lines[@]} \"$(date -u -d @0 +%Y)\"",
            ),
            native_script("xargs", "printf '%s\\n' a b c d e | xargs -n2 echo; seq 3 | xargs -I{} echo item {}"),
            native_script("find | sort | xargs", "find @TREE -type f -name '*.txt' | sort | xargs wc -c"),
            native_script("find -exec +", "find @TREE -name '*.txt' -exec sha256sum {} + | sort"),
            native_script(
                "find -exec sh",
                "find @TREE -type f -exec sh -c 'echo \"${1##*/}: $(wc -l < \"$1\")\"' _ {} \\; | sort",
            ),
            native_script(
                "exit statuses",
                "(exit 3); echo $?; false | true; echo ${PIPESTATUS[@]}; set -o pipefail; false | true; echo $?; \
                 ls /nonexistent 2>/dev/null; echo $?; grep -q zzz words.txt; echo $?; grep -q apple words.txt; echo $?; \
                 { sh -c 'kill -TERM $$'; } 2>/dev/null; echo $?; timeout 10 sh -c 'exit 4'; echo $?",
            )
            .files(WORDS),
            native_script("SIGPIPE in a pipeline", "yes | head -n 3; echo ${PIPESTATUS[@]}"),
            native_script("here-document to sort", "sort -r <<EOF\nb\na\nc\nEOF\ncat <<< 'here string' | wc -c"),
            native_script(
                "background jobs",
                "sleep 0.2 & p=$!; echo started; wait $p; echo waited $?; (exit 5) & wait $!; echo $?; \
                 for i in 1 2 3; do (echo job $i > job$i) & done; wait; cat job1 job2 job3",
            ),
            native_script(
                "redirections",
                "exec 3>out.txt; echo via fd 3 >&3; ls /nonexistent 2>&3; exec 3>&-; sed 's/ls: //' out.txt; \
                 { echo a; echo b >&2; } 2>&1 | wc -l; echo x >> out.txt; wc -l < out.txt",
            ),
            native_script(
                "compressors through pipes",
                "gzip -9c words.txt | gzip -dc | sha256sum; xz -T1 -c words.txt | xz -T1 -dc | wc -l; \
                 gunzip -c words.gz | head -2; zcat words.gz | tail -1; xzcat words.xz | wc -c",
            )
            .files(&["words.txt", "words.gz", "words.xz"]),
            native_script(
                "tar with gzip",
                "tar --sort=name -czf t.tgz -C @TREE . && tar -tzf t.tgz && tar -xzf t.tgz ./sub && find sub | sort",
            ),
            native_script(
                "split and cat",
                "split -l 7 words.txt part- && ls part-* && cat part-ab | head -2 && cat part-* | cmp - words.txt && echo same",
            )
            .files(WORDS),
            native_script(
                "dash pipeline",
                "sh -c 'seq 5 | while read n; do echo $((n * n)); done | tail -2; echo $(echo nested $(echo deeper))'",
            ),
            native_script(
                "bash runs a script",
                "printf '#!/bin/sh\\necho \"script $# $1\"\\nexit 6\\n' > s.sh; chmod +x s.sh; ./s.sh arg; echo $?; \
                 bash s.sh a b; echo $?",
            ),
            script(
                "perl system, qx and pipes",
                "perl -e 'system(\"echo\", \"from\", \"system\"); print \"status \", $? >> 8, \"\\n\"; \
                 my $x = qx(printf abc); print \"[$x]\\n\"; system(\"sh\", \"-c\", \"exit 3\"); print $? >> 8, \"\\n\"; \
                 open(my $p, \"-|\", \"seq\", \"3\") or die; print <$p>; close $p; \
                 open(my $q, \"|-\", \"tr a-z A-Z\") or die; print $q \"piped out\\n\"; close $q; \
                 exec \"printf\", \"%s-\", \"exec\", \"ed\\n\"'",
                "from system\nstatus 0\n[abc]\n3\n1\n2\n3\nPIPED OUT\nexec-ed\n-",
                0,
            ),
            script(
                "python subprocess",
                "python3 -c 'import subprocess, os\n\
                 r = subprocess.run([\"sort\", \"-r\"], input=b\"a\\nc\\nb\\n\", capture_output=True)\n\
                 print(r.stdout.decode().split(), r.returncode)\n\
                 print(subprocess.check_output(\"echo $((6 * 7))\", shell=True).decode().strip())\n\
                 print(subprocess.call([\"false\"]), os.system(\"exit 3\") >> 8)\n\
                 p = subprocess.Popen([\"cat\"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n\
                 print(p.communicate(b\"echoed\")[0], p.wait())\n\
                 try:\n    subprocess.run([\"no-such-program\"])\nexcept FileNotFoundError as e:\n    print(\"not found\", e.errno)\n\
                 import sys; sys.stdout.flush(); os.execvp(\"echo\", [\"echo\", \"exec from python\"])'",
                "['c', 'b', 'a'] 0\n42\n1 3\nb'echoed' 0\nnot found 2\nexec from python\n",
                0,
            ),
            script(
                "gcc compiles and runs",
                "gcc -O2 -Wall -o hello hello.c && ./hello a b; echo \"status $?\"; \
                 gcc -O0 -g -c hello.c -o hello.o && gcc hello.o -o hello0 && ./hello0 && ./hello0 x; echo $?",
                "hello from gcc, fib(20) = 6765, argc 3, 1\nstatus 2\n\
                 hello from gcc, fib(20) = 6765, argc 1, 1\nhello from gcc, fib(20) = 6765, argc 2, 1\n1\n",
                0,
            )
            .files(&["hello.c"]),
            native_script(
                "flock between processes",
                "touch lk; (flock -x lk -c 'touch held; while [ ! -e done ]; do sleep 0.02; done; echo A-out') & \
                 while [ ! -e held ]; do sleep 0.02; done; flock -n lk true; echo try $?; \
                 flock -w 0.05 lk true; echo wait $?; touch done; flock -x lk -c 'echo B-in'; wait; \
                 exec 9>lk; flock 9; flock -n lk -c true; echo other $?; flock -u 9; flock -s -n lk -c 'echo shared'",
            ),
            native_script(
                "xargs -P4 and find -execdir -newer",
                "seq 21 | xargs -P4 -n3 sh -c 'echo $(($1 + $2 + $3))' _ | sort -n; seq 5 | xargs -P2 -I{} sh -c 'exit {}'; \
                 echo $?; mkdir -p d/e; touch -d @100 d/old; touch d/new d/e/x; \
                 find d -newer d/old -type f -exec echo got {} \\; | sort; find d -type f -execdir pwd \\; | sed 's,.*/,,' | sort",
            ),
            native_script(
                "make -j4 with a jobserver",
                "for i in 1 2 3 4 5 6; do printf 'int f%d(void) { return %d; }\\n' $i $i > f$i.c; done; \
                 printf '#include <stdio.h>\\nint f1(void), f2(void), f3(void), f4(void), f5(void), f6(void);\\n\
                 int main(void) { printf(\"%%d\\\\n\", f1() + f2() + f3() + f4() + f5() + f6()); return 0; }\\n' > m.c; \
                 printf 'prog: m.o f1.o f2.o f3.o f4.o f5.o f6.o\\n\\t$(CC) -o $@ $^\\n%%.o: %%.c\\n\\t@$(CC) -c $< && echo built $@ >> log\\n\
                 sub:\\n\\t@$(MAKE) other\\nother:\\n\\t@echo other\\n' > Makefile; \
                 make -s -j4 CC=gcc prog && ./prog; sort log; make -s -j4 --no-print-directory sub",
            ),
            // lscpu reads /proc/cpuinfo from a descriptor of /proc (`openat(fd, "cpuinfo")`).
            script(
                "lscpu describes RISC-V harts",
                "lscpu | grep -E '^(Architecture|Vendor ID|Model name):' | tr -s ' '; echo x86 flags $(lscpu | grep -c '^Flags:')",
                "Architecture: riscv64\nVendor ID: 0x0\nModel name: -\nx86 flags 0\n",
                0,
            ),
            script(
                "make builds with gcc",
                "printf 'int twice(int x) { return 2 * x; }\\n' > lib.c; \
                 printf '#include <stdio.h>\\nint twice(int);\\nint main(void) { printf(\"%%d\\\\n\", twice(21)); return 0; }\\n' > main.c; \
                 printf 'prog: main.o lib.o\\n\\t$(CC) -o $@ $^\\n%%.o: %%.c\\n\\t$(CC) -O2 -c $<\\n' > Makefile; \
                 make -s CC=gcc && ./prog && make -s CC=gcc && echo up to date; make -s nothing-to-make 2>&1; echo $?",
                "42\nup to date\nmake: *** No rule to make target 'nothing-to-make'.  Stop.\n2\n",
                0,
            ),
        ],
    );
    assert!(
        failures.is_empty(),
        "{} scripts differ from what Linux gives:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The programs gcc builds under vm (dynamic and static, with libm) run the same under
/// vm and qemu.
#[test]
fn programs_built_by_gcc_under_vm_match_qemu() {
    let s = setup();
    let failures = check_scripts(
        "debian-gcc-build",
        &[script(
            "gcc builds calc",
            "gcc -O2 -Wall -o calc calc.c -lm && gcc -O1 -static -o calc-static calc.c -lm && \
             cp calc calc-static @OUT/ && echo built",
            "built\n",
            0,
        )
        .files(&["calc.c"])],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let cases = built_program_cases(
        &[("calc", &[]), ("calc", &["7"]), ("calc-static", &["3"])],
        s,
    );
    let (summary, failures) = run_differential(
        &cases,
        "debian-gcc-runs",
        vm_timeout(Duration::from_secs(120)),
    );
    println!("programs built by gcc:\n{summary}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Programs the Debian root's gcc builds for the RVA23 profile (`-march=rva23u64 -O3`:
/// auto-vectorised loops on the V extension, Zicond, Zba, Zbb, ...) run the same under
/// vm and the reference qemu emulating an RVA23 CPU (`scripts/reference-qemu`).
#[test]
fn programs_built_for_rva23_by_gcc_under_vm_match_the_reference_qemu() {
    let s = setup();
    let failures = check_scripts(
        "debian-gcc-rva23-build",
        &[script(
            "gcc builds for rva23u64",
            "gcc -O3 -march=rva23u64 -Wall -o vectorize vectorize.c -lm && \
             gcc -O3 -march=rva23u64 -static -o calc-rva23 calc.c -lm && \
             cp vectorize calc-rva23 @OUT/ && echo built",
            "built\n",
            0,
        )
        .files(&["vectorize.c", "calc.c"])],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let cases = built_program_cases(
        &[
            ("vectorize", &[]),
            ("vectorize", &["x"]),
            ("calc-rva23", &["5"]),
        ],
        s,
    );
    let reference = Runner::QemuCpu {
        qemu: reference_qemu().to_path_buf(),
        cpu: "rva23u64".to_string(),
    };
    let (summary, failures) = run_differential_against(
        reference,
        &cases,
        "debian-gcc-rva23-runs",
        vm_timeout(Duration::from_secs(120)),
    );
    println!("programs built by gcc for rva23u64:\n{summary}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Programs that start threads: liblzma's threaded coders (xz -T2, dpkg-deb), sort
/// --parallel (which falls back to one thread when it cannot start more), Python's
/// threading and Perl's threads, compared with qemu like the others; tar -J (which
/// runs xz, threaded by default) and dpkg-deb's listings (which run tar) under vm
/// alone, against the host's own tools.
#[test]
fn multithreaded_programs() {
    let rows = [
        row("xz -T2 compress", &["xz", "-T2", "--block-size=65536", "-3c", "medium.txt"]).files(&["medium.txt"]),
        row("xz -T2 decompress", &["xz", "-T2", "-dc", "big.xz"]).files(&["big.xz"]),
        // Not -v: past a second, xz's summary line adds the elapsed time.
        row("xz -t, threads by default", &["xz", "-t", "big.xz"]).files(&["big.xz"]),
        row("sort --parallel=2", &["sort", "--parallel=2", "-S", "64M", "-n", "big.txt"]).files(&["big.txt"]),
        row("dpkg-deb --fsys-tarfile", &["dpkg-deb", "--fsys-tarfile", "demo.deb"]).files(&["demo.deb"]),
        row(
            "python threading",
            &["python3", "-c", "import threading, queue\nfrom concurrent.futures import ThreadPoolExecutor\n\
              results = {}\nlock = threading.Lock()\n\
              def work(n):\n    s = sum(i * i for i in range(n * 20000))\n    with lock:\n        results[n] = s\n\
              ts = [threading.Thread(target=work, args=(n,)) for n in range(1, 5)]\n\
              for t in ts: t.start()\nfor t in ts: t.join()\nprint(sorted(results.items()))\n\
              q = queue.Queue()\ndef producer():\n    for i in range(5): q.put(i)\n    q.put(None)\n\
              t = threading.Thread(target=producer); t.start()\nout = []\n\
              while (x := q.get()) is not None: out.append(x)\nt.join(); print(out, threading.active_count())\n\
              with ThreadPoolExecutor(2) as ex: print(list(ex.map(lambda x: x ** 3, range(6))))"],
        ),
        row(
            "perl threads",
            &["perl", "-e", "use threads; use threads::shared; my $total :shared = 0;\n\
              my @t = map { threads->create(sub { my $n = shift; { lock($total); $total += $n * $n; } return $n * 10 }, $_) } 1 .. 4;\n\
              print join(',', map { $_->join } @t), \" total $total\\n\";"],
        ),
    ];
    require_tools();
    require_vm();
    let cases = diff_cases(&rows);
    let (summary, mut failures) = run_differential(
        &cases,
        "debian-threads",
        vm_timeout(Duration::from_secs(120)),
    );
    println!("threads:\n{summary}");
    failures.extend(check_scripts(
        "debian-threads-scripts",
        &[
            native_script(
                "tar -J runs xz",
                "tar --sort=name -cJf t.txz -C @TREE . && tar -tJf t.txz && tar -xJOf t.txz ./sub/deeper/d.txt",
            ),
            // They run tar (and rm) in other processes, so only --fsys-tarfile is
            // compared with qemu; -I's spacing differs between dpkg versions.
            native_script(
                "dpkg-deb -c -f -I",
                "dpkg-deb -c demo.deb && dpkg-deb -f demo.deb Package Version && \
                 dpkg-deb -I demo.deb | sed 's/ *$//'",
            )
            .files(&["demo.deb"]),
        ],
    ));
    assert!(
        failures.is_empty(),
        "{} multithreaded programs fail under vm:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

/// Node.js: V8 compiles JavaScript (and irregexp regular expressions) to RISC-V code at
/// run time, patches it (inline caches, deoptimization) and flushes it with
/// `riscv_flush_icache`, from several threads (V8's platform threads, workers). Few and
/// short rows: under the interpreter each start of node costs about a second. A node
/// that starts another runs under vm alone, against output written here.
#[test]
fn nodejs_matches_qemu() {
    let rows = [
        row(
            "node JSON, Buffer, zlib, crypto",
            &[
                "node",
                "-e",
                r#"const zlib = require('zlib'), crypto = require('crypto');
const o = { a: [1, 2.5, -3], s: 'x'.repeat(5), n: null, u: '\u00e9\u{1f600}' };
const j = JSON.stringify(o), b = Buffer.from(j);
const z = zlib.gzipSync(b.toString().repeat(50));
console.log(process.arch, j, JSON.parse(j).u.length, b.toString('base64'));
console.log(zlib.gunzipSync(z).length, crypto.createHash('sha256').update(j).digest('hex'),
  [3, 1, 2].sort(), 2n ** 70n, 0.1 + 0.2, Math.fround(1 / 3));"#,
            ],
        ),
        row(
            "node optimizing tier and deoptimization",
            &[
                "node",
                "--allow-natives-syntax",
                "-e",
                r#"function add(a, b) { return a + b; }
%PrepareFunctionForOptimization(add);
add(1, 2); add(3, 4);
%OptimizeFunctionOnNextCall(add);
const t = add(7, 8), optimized = %ActiveTierIsTurbofan(add);
const s = add('a', 1), after = %ActiveTierIsTurbofan(add);
let acc = 0;
function hot(i) { return (i * 31) ^ (i >>> 3); }
for (let i = 0; i < 200000; i++) acc = (acc + hot(i)) | 0;
class P { constructor(x) { this.x = x; } }
class Q { constructor(x) { this.y = 0; this.x = x; } }
function getx(o) { return o.x; }
let g = 0;
for (let i = 0; i < 50000; i++) g += getx(i % 500 === 499 ? new Q(i) : new P(i));
console.log(t, optimized, s, after, acc, g);"#,
            ],
        ),
        row(
            "node regular expressions",
            &[
                "node",
                "-e",
                r#"const text = Array.from({ length: 3000 },
  (_, i) => `user${i}${i % 7 ? '' : '@example.com'}`).join(' ');
let n = 0;
for (const m of text.matchAll(/(\w+)@(\w+)\.com/g)) n += m[1].length;
let k = 0;
for (let i = 0; i < 5000; i++) if (/^(?:a|b)*?c(\d{2,})$/.test('abab' + 'c' + i)) k++;
console.log(n, k, text.replace(/r(\d)(\d)/g, '$2$1').length, 'a-b_c'.split(/[-_]/),
  /(?<y>\d{4})-(?<m>\d\d)/u.exec('on 2024-05-06').groups.y);"#,
            ],
        ),
        row(
            "node timers, promises, fs",
            &[
                "node",
                "-e",
                r#"const fs = require('fs'), { setTimeout: sleep } = require('timers/promises');
const order = [];
process.nextTick(() => order.push('tick'));
Promise.resolve().then(() => order.push('micro'));
setTimeout(() => {
  order.push('timeout');
  setTimeout(() => order.push('timeout2'), 0);
  setImmediate(() => order.push('immediate'));
}, 0);
(async () => {
  await sleep(20);
  fs.writeFileSync('f.txt', 'one\n');
  fs.appendFileSync('f.txt', 'two\n');
  const text = await fs.promises.readFile('f.txt', 'utf8');
  order.push(text.split('\n').length, fs.statSync('f.txt').size, fs.readdirSync('.').join());
  fs.unlinkSync('f.txt');
  console.log(order.join(' '), fs.existsSync('f.txt'));
})();"#,
            ],
        ),
        row(
            "node uncaught exception",
            &[
                "node",
                "-e",
                r#"function inner(n) { if (n === 0) throw new RangeError('deliberate'); return inner(n - 1) + 1; }
try { inner(3); } catch (e) { console.log(e.name, e.message, e.stack.split('\n').length); }
Promise.reject(new Error('later')).catch((e) => console.log('caught', e.message));
setTimeout(() => inner(2), 1);"#,
            ],
        ),
        row(
            "node worker_threads",
            &[
                "node",
                "-e",
                r#"const { Worker } = require('worker_threads');
const src = `const { parentPort, workerData } = require('worker_threads');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
parentPort.postMessage([workerData, fib(20)]);`;
const w = new Worker(src, { eval: true, workerData: 7 });
w.on('message', (m) => console.log('worker says', JSON.stringify(m)));
w.on('exit', (code) => console.log('worker exit', code));"#,
            ],
        ),
    ];
    require_tools();
    require_vm();
    let cases = diff_cases(&rows);
    let (summary, mut failures) =
        run_differential(&cases, "debian-node", vm_timeout(Duration::from_secs(120)));
    println!("node:\n{summary}");
    failures.extend(check_scripts(
        "debian-node-scripts",
        &[script(
            "node child_process",
            r#"node -e "const cp = require('child_process');
const r = cp.spawnSync(process.execPath, ['-e', 'console.log(6 * 7); process.exit(3)']);
console.log('spawnSync', r.status, r.stdout.toString().trim());
const c = cp.spawn(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)']);
let out = '';
c.stdout.on('data', (d) => (out += d));
c.on('close', (code) => console.log('spawn', code, out));
c.stdin.end('piped');""#,
            "spawnSync 3 42\nspawn 0 piped\n",
            0,
        )],
    ));
    assert!(
        failures.is_empty(),
        "{} node runs fail under vm:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}
