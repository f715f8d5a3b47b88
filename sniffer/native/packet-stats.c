/* Kernel drop counters of this process's own AF_PACKET sockets (the ones libpcap opened through `cap`, which does
 * not expose pcap_stats). For each open fd that is a packet socket: getsockopt(SOL_PACKET, PACKET_STATISTICS), the
 * call pcap_stats makes on Linux. Under TPACKET_V3 that is the only place ring-full drops are counted: tpacket_rcv
 * bumps po->tp_drops, not sk->sk_drops, so sock_diag's SK_MEMINFO_DROPS (`ss -0 -m`) and /proc/net/packet never see
 * them. The kernel zeroes the counters on every read (packet(7)); the caller accumulates.
 *
 * N-API (C), no dependencies: cc -shared -fPIC -I<node include> packet-stats.c -o packet-stats.node
 * Returns [{ fd, ifindex, device, packets, drops }], device "any" for ifindex 0. */
#include <dirent.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_SOCKETS 256

static napi_value set_uint(napi_env env, napi_value obj, const char *key, double v) {
  napi_value n;
  napi_create_double(env, v, &n);
  napi_set_named_property(env, obj, key, n);
  return obj;
}

static napi_value read_stats(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_array(env, &out);
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) {
    napi_throw_error(env, "ENOFD", strerror(errno));
    return NULL;
  }
  uint32_t n = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL && n < MAX_SOCKETS) {
    char *end;
    long fd = strtol(e->d_name, &end, 10);
    if (*end != '\0' || fd < 0 || fd == dirfd(dir)) continue;
    int domain = 0;
    socklen_t len = sizeof(domain);
    if (getsockopt((int)fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_PACKET) continue;
    struct tpacket_stats_v3 st;
    memset(&st, 0, sizeof(st));
    len = sizeof(st);
    if (getsockopt((int)fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) continue;
    struct sockaddr_ll ll;
    memset(&ll, 0, sizeof(ll));
    socklen_t alen = sizeof(ll);
    getsockname((int)fd, (struct sockaddr *)&ll, &alen);
    char name[IF_NAMESIZE] = "any";
    if (ll.sll_ifindex > 0 && !if_indextoname((unsigned)ll.sll_ifindex, name)) strcpy(name, "?");
    napi_value obj, dev;
    napi_create_object(env, &obj);
    set_uint(env, obj, "fd", (double)fd);
    set_uint(env, obj, "ifindex", (double)ll.sll_ifindex);
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &dev);
    napi_set_named_property(env, obj, "device", dev);
    /* Since Linux 2.6.x tp_packets counts drops too (af_packet.c adds them before returning). */
    set_uint(env, obj, "packets", (double)st.tp_packets);
    set_uint(env, obj, "drops", (double)st.tp_drops);
    napi_set_element(env, out, n++, obj);
  }
  closedir(dir);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "readPacketSocketStats", NAPI_AUTO_LENGTH, read_stats, NULL, &fn);
  napi_set_named_property(env, exports, "readPacketSocketStats", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
