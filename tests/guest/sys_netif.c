/* Interface queries on a socket, as if_nametoindex, if_indextoname and getaddrinfo's
 * "%lo" scope ids make them: SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFFLAGS, SIOCGIFMTU,
 * SIOCGIFADDR, SIOCGIFNETMASK on the loopback interface, plus an unknown interface and
 * a bad pointer; and SIOCATMARK. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(s >= 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    SHOW("SIOCGIFINDEX lo", ioctl(s, SIOCGIFINDEX, &ifr));
    int index = ifr.ifr_ifindex;
    printf("if_nametoindex(lo) matches: %d\n", if_nametoindex("lo") == (unsigned)index);
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_ifindex = index;
    SHOW("SIOCGIFNAME", ioctl(s, SIOCGIFNAME, &ifr));
    printf("name: %s\n", ifr.ifr_name);
    char name[IF_NAMESIZE];
    printf("if_indextoname: %s\n", if_indextoname(index, name));
    SHOW("SIOCGIFFLAGS", ioctl(s, SIOCGIFFLAGS, &ifr));
    printf("loopback flag: %d\n", (ifr.ifr_flags & IFF_LOOPBACK) != 0);
    SHOW("SIOCGIFMTU", ioctl(s, SIOCGIFMTU, &ifr));
    printf("mtu > 0: %d\n", ifr.ifr_mtu > 0);
    SHOW("SIOCGIFADDR", ioctl(s, SIOCGIFADDR, &ifr));
    printf("addr: %s\n", inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr));
    SHOW("SIOCGIFNETMASK", ioctl(s, SIOCGIFNETMASK, &ifr));
    printf("netmask: %s\n", inet_ntoa(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr));

    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "no-such-if0");
    SHOW("SIOCGIFINDEX unknown", ioctl(s, SIOCGIFINDEX, &ifr));
    SHOW("if_nametoindex unknown", if_nametoindex("no-such-if0"));
    SHOW("SIOCGIFINDEX bad pointer", ioctl(s, SIOCGIFINDEX, (void *)8));
    int mark = -1;
    SHOW("SIOCATMARK on a datagram socket", ioctl(s, SIOCATMARK, &mark));
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    SHOW("SIOCATMARK on a stream socket", ioctl(s, SIOCATMARK, &mark));
    printf("at mark: %d\n", mark);
    close(s);
    return 0;
}
