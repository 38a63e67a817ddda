/* sendmmsg and recvmmsg where qemu 7.2 answers otherwise than Linux: it ignores
 * recvmmsg's timeout (neither reading it, so a bad pointer or value is not reported,
 * nor writing back the time left), and returns 0 for sendmmsg of no messages without
 * looking at the descriptor. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(s, (struct sockaddr *)&addr, sizeof addr) == 0);
    socklen_t len = sizeof addr;
    CHECK(getsockname(s, (struct sockaddr *)&addr, &len) == 0);

    char buf[16];
    struct iovec iov = {buf, sizeof buf};
    struct mmsghdr m;
    memset(&m, 0, sizeof m);
    m.msg_hdr.msg_iov = &iov;
    m.msg_hdr.msg_iovlen = 1;
    SHOW("sendmmsg bad fd, no messages", sendmmsg(999, &m, 0, 0));
    SHOW("recvmmsg bad timeout pointer", recvmmsg(s, &m, 1, 0, (void *)8));
    struct timespec bad = {0, 2000000000L};
    SHOW("recvmmsg timeout with 2e9 ns", recvmmsg(s, &m, 1, 0, &bad));
    struct timespec negative = {-1, 0};
    SHOW("recvmmsg negative timeout", recvmmsg(s, &m, 1, 0, &negative));

    /* The time left is written back after a datagram arrives. */
    CHECK(sendto(s, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr) == 1);
    struct timespec t = {100, 0};
    SHOW("recvmmsg with a datagram queued", recvmmsg(s, &m, 1, 0, &t));
    printf("time left written back: %d\n", t.tv_sec < 100 || t.tv_nsec != 0);
    printf("time left within the timeout: %d\n", t.tv_sec >= 90 && t.tv_sec <= 100);
    return 0;
}
