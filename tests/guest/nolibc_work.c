// cflags: -nostdlib -ffreestanding -fno-stack-protector -fno-builtin
// pie: yes
/* CPU work without libc, built both as a static executable and as a static PIE: a
 * switch-dispatched bytecode interpreter (a jump table), calls through a table of
 * function pointers (relocated at start-up in the PIE), writable global arrays,
 * recursion and floating point, printing checksums with raw write syscalls. */
#include "nolibc.h"

static uint64_t op_add(uint64_t a, uint64_t b) { return a + b; }
static uint64_t op_mul(uint64_t a, uint64_t b) { return a * b | 1; }
static uint64_t op_xor(uint64_t a, uint64_t b) { return a ^ (b << 7 | b >> 57); }
static uint64_t op_div(uint64_t a, uint64_t b) { return b ? a / b + a % b : a; }
static uint64_t (*const ops[])(uint64_t, uint64_t) = {op_add, op_mul, op_xor, op_div};

enum { PUSH, ADD, MUL, XOR, DIV, DUP, SWAP, JNZ, DEC, CALL, HALT };
static const uint8_t program[] = {
    PUSH, 7, PUSH, 200, /* acc, counter */
    SWAP, PUSH, 13, MUL, PUSH, 5, ADD, DUP, PUSH, 3, XOR, DIV, CALL, 2, SWAP, DEC, JNZ, 4,
    HALT,
};

static uint64_t stack[64];

static uint64_t run(int rounds) {
    uint64_t total = 0;
    for (int r = 0; r < rounds; r++) {
        int sp = 0, pc = 0;
        for (;;) {
            uint8_t op = program[pc++];
            switch (op) {
            case PUSH: stack[sp++] = program[pc++] + (uint64_t)r; break;
            case ADD: sp--; stack[sp - 1] = stack[sp - 1] + stack[sp]; break;
            case MUL: sp--; stack[sp - 1] = stack[sp - 1] * stack[sp]; break;
            case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
            case DIV: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] + 1 : 0; break;
            case DUP: stack[sp] = stack[sp - 1]; sp++; break;
            case SWAP: { uint64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
            case JNZ: { uint8_t to = program[pc++]; if (stack[sp - 1]) pc = to; break; }
            case DEC: stack[sp - 1]--; break;
            case CALL: { uint8_t f = program[pc++]; stack[sp - 1] = ops[f & 3](stack[sp - 1], (uint64_t)r + f); break; }
            case HALT: total = total * 31 + stack[0] + stack[sp - 1]; goto done;
            default: exit_group(99);
            }
        }
    done:;
    }
    return total;
}

static uint64_t ackermann(uint64_t m, uint64_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static double table[256];

__attribute__((used)) void cmain(uint64_t *sp) {
    char **argv;
    uint64_t argc = startup(sp, &argv);
    (void)argv;
    line("argc=", argc);
    line("bytecode checksum=", run(300));
    uint64_t acc = 0;
    for (int i = 0; i < 4000; i++) acc = ops[i & 3](acc, (uint64_t)i * 2654435761u);
    line("pointer-table checksum=", acc);
    line("ackermann(2,300)=", ackermann(2, 300));
    for (int i = 0; i < 256; i++) table[i] = (double)i * 0.5 + 1.0 / (double)(i + 1);
    double s = 0;
    for (int k = 0; k < 50; k++)
        for (int i = 0; i < 256; i++) s = s * 0.999 + table[i] * table[(i * 7 + k) & 255];
    uint64_t bits;
    __builtin_memcpy(&bits, &s, 8);
    line("fp checksum bits=", bits);
    line("fp checksum int=", (uint64_t)(int64_t)s);
    exit_group(0);
}
