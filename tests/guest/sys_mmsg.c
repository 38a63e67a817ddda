/* sendmmsg and recvmmsg (what glibc's resolver sends its A and AAAA queries with): UDP
 * datagrams over loopback with addresses, descriptors passed as control data over a
 * Unix socket, timeouts, MSG_WAITFORONE, partial sends, and the error paths. Where
 * qemu 7.2 answers otherwise (it ignores recvmmsg's timeout, and sends nothing to a bad
 * descriptor without looking at it), see tests/exec/mmsg_limits.c. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static int udp_socket(struct sockaddr_in *addr) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(s >= 0);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(s, (struct sockaddr *)addr, sizeof *addr) == 0);
    socklen_t len = sizeof *addr;
    CHECK(getsockname(s, (struct sockaddr *)addr, &len) == 0);
    return s;
}

/* Points message i of `m` at buffer i through iovec i, nothing else set. */
static void receive_into(struct mmsghdr *m, struct iovec *iov, char (*bufs)[16], int n) {
    memset(m, 0, n * sizeof *m);
    for (int i = 0; i < n; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = sizeof bufs[i];
        m[i].msg_hdr.msg_iov = &iov[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
}

int main(void) {
    struct sockaddr_in aaddr, baddr;
    int a = udp_socket(&aaddr), b = udp_socket(&baddr);

    const char *words[3] = {"one", "two!", "three"};
    struct iovec iov[3];
    struct mmsghdr out[3];
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) {
        iov[i].iov_base = (void *)words[i];
        iov[i].iov_len = strlen(words[i]);
        out[i].msg_hdr.msg_name = &baddr;
        out[i].msg_hdr.msg_namelen = sizeof baddr;
        out[i].msg_hdr.msg_iov = &iov[i];
        out[i].msg_hdr.msg_iovlen = 1;
        out[i].msg_len = 12345;
    }
    SHOW("sendmmsg 3", sendmmsg(a, out, 3, 0));
    printf("msg_len %u %u %u\n", out[0].msg_len, out[1].msg_len, out[2].msg_len);

    char bufs[4][16];
    struct iovec riov[4];
    struct sockaddr_in from[4];
    struct mmsghdr in[4];
    receive_into(in, riov, bufs, 4);
    for (int i = 0; i < 4; i++) {
        in[i].msg_hdr.msg_name = &from[i];
        in[i].msg_hdr.msg_namelen = i == 1 ? 4 : sizeof from[i];
    }
    struct timespec t = {1, 0};
    SHOW("recvmmsg MSG_WAITFORONE with timeout", recvmmsg(b, in, 4, MSG_WAITFORONE, &t));
    printf("timeout left at most 1s: %d\n", t.tv_sec < 1 || (t.tv_sec == 1 && t.tv_nsec == 0));
    for (int i = 0; i < 3; i++)
        printf("  [%d] len %u \"%.*s\" namelen %u from a: %d flags %d\n", i, in[i].msg_len,
               (int)in[i].msg_len, bufs[i], in[i].msg_hdr.msg_namelen,
               i == 1 ? memcmp(&from[i], &aaddr, 4) == 0
                      : from[i].sin_port == aaddr.sin_port &&
                            from[i].sin_addr.s_addr == aaddr.sin_addr.s_addr,
               in[i].msg_hdr.msg_flags);
    printf("  [3] untouched: %d\n", in[3].msg_len == 0);
    SHOW("recvmmsg nothing queued, MSG_DONTWAIT", recvmmsg(b, in, 4, MSG_DONTWAIT, NULL));

    /* A datagram longer than the buffer is truncated, MSG_TRUNC in its flags. */
    CHECK(sendto(a, "a long datagram indeed", 22, 0, (struct sockaddr *)&baddr, sizeof baddr) == 22);
    SHOW("recvmmsg truncated", recvmmsg(b, in, 1, 0, NULL));
    printf("  len %u truncated %d\n", in[0].msg_len, (in[0].msg_hdr.msg_flags & MSG_TRUNC) != 0);

    /* The second message cannot be read: the first is sent, and its count returned. */
    struct mmsghdr partial[2];
    memcpy(partial, out, sizeof partial);
    partial[1].msg_hdr.msg_iov = BAD;
    SHOW("sendmmsg, second header bad", sendmmsg(a, partial, 2, 0));
    SHOW("recvmmsg it", recvmmsg(b, in, 4, MSG_DONTWAIT, NULL));
    partial[0].msg_hdr.msg_iov = BAD;
    SHOW("sendmmsg, first header bad", sendmmsg(a, partial, 2, 0));
    SHOW("sendmmsg vlen 0", sendmmsg(a, out, 0, 0));
    SHOW("sendmmsg bad vector", sendmmsg(a, BAD, 2, 0));
    SHOW("sendmmsg bad fd", sendmmsg(999, out, 1, 0));
    SHOW("sendmmsg not a socket", sendmmsg(0, out, 1, 0));
    SHOW("recvmmsg bad fd", recvmmsg(999, in, 1, 0, NULL));
    SHOW("recvmmsg bad vector", recvmmsg(b, BAD, 1, MSG_DONTWAIT, NULL));

    /* A descriptor passed as control data over a Unix datagram pair. */
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct mmsghdr fdmsg[2];
    memset(fdmsg, 0, sizeof fdmsg);
    struct iovec fiov[2] = {{"fd", 2}, {"plain", 5}};
    fdmsg[0].msg_hdr.msg_iov = &fiov[0];
    fdmsg[0].msg_hdr.msg_iovlen = 1;
    fdmsg[0].msg_hdr.msg_control = ctl.buf;
    fdmsg[0].msg_hdr.msg_controllen = sizeof ctl.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&fdmsg[0].msg_hdr);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &pipefd[1], sizeof(int));
    fdmsg[1].msg_hdr.msg_iov = &fiov[1];
    fdmsg[1].msg_hdr.msg_iovlen = 1;
    SHOW("sendmmsg with SCM_RIGHTS", sendmmsg(sv[0], fdmsg, 2, 0));
    union {
        struct cmsghdr h;
        char buf[64];
    } rctl[2];
    struct mmsghdr rmsg[2];
    receive_into(rmsg, riov, bufs, 2);
    for (int i = 0; i < 2; i++) {
        rmsg[i].msg_hdr.msg_control = rctl[i].buf;
        rmsg[i].msg_hdr.msg_controllen = sizeof rctl[i].buf;
    }
    SHOW("recvmmsg with SCM_RIGHTS", recvmmsg(sv[1], rmsg, 2, 0, NULL));
    printf("  controllen %zu and %zu\n", (size_t)rmsg[0].msg_hdr.msg_controllen,
           (size_t)rmsg[1].msg_hdr.msg_controllen);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rmsg[0].msg_hdr);
    CHECK(rc != NULL && rc->cmsg_type == SCM_RIGHTS);
    int passed;
    memcpy(&passed, CMSG_DATA(rc), sizeof passed);
    CHECK(write(passed, "via passed fd", 13) == 13);
    char pbuf[32];
    ssize_t n = read(pipefd[0], pbuf, sizeof pbuf);
    printf("  pipe got \"%.*s\"\n", (int)n, pbuf);
    return 0;
}
