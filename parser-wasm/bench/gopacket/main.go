// gopacket-decode: the decoder benchmark's Go anchor. Reads pcap or pcapng files with pcapgo,
// decodes them with gopacket and prints the same JSON lines as `netmapper decode`, so the two can
// be timed doing the same job. Two ways of using gopacket:
//
//	-mode packet   gopacket.NewPacket + packet.Layer (how most gopacket programs decode, Otterize's sniffer too)
//	-mode parser   gopacket.DecodingLayerParser with reused layers and zero-copy reads (gopacket's fast path)
//
// Built from Debian's packages, no module proxy:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off CGO_ENABLED=0 go build -o gopacket-decode .
//
// The record rules are netmapper's (parser-wasm/assembly): DNS responses (QR=1) on port 53 with
// their A/AAAA/CNAME answers, names lower-cased; TCP SYN and SYN-ACK; IP fragments skipped;
// DNS over TCP split by its 2-byte length prefix (RFC 1035 §4.2.2), no stream reassembly.
// On malformed input gopacket's rules apply, so the outputs may differ there.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

const (
	dnsPort        = 53
	pcapngMagic    = 0x0a0d0d0a
	dnsTypeA       = 1
	dnsTypeCNAME   = 5
	dnsTypeAAAA    = 28
	dnsQRFlag      = 0x80 // in the third header byte (RFC 1035 §4.1.1)
	dnsRcodeMask   = 0x0f
	tcpLenPrefix   = 2
	dnsMinHdrBytes = 12
)

type source interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// linkOf says which link type a packet was captured on (pcapng files can mix interfaces).
type linkOf func(ci gopacket.CaptureInfo) layers.LinkType

func openCapture(path string) (source, linkOf, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	magic, err := br.Peek(4)
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: not a capture file", path)
	}
	if binary.LittleEndian.Uint32(magic) == pcapngMagic {
		r, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			f.Close()
			return nil, nil, nil, fmt.Errorf("%s: %v", path, err)
		}
		link := func(ci gopacket.CaptureInfo) layers.LinkType {
			if i, err := r.Interface(ci.InterfaceIndex); err == nil {
				return i.LinkType
			}
			return r.LinkType()
		}
		return r, link, f.Close, nil
	}
	r, err := pcapgo.NewReader(br)
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	lt := r.LinkType()
	return r, func(gopacket.CaptureInfo) layers.LinkType { return lt }, f.Close, nil
}

// ---------------------------------------------------------------------------------------------
// JSON lines, written the way `netmapper decode` writes them (JSON.stringify's number and string rules).

type writer struct {
	out *bufio.Writer
	b   []byte
}

// appendNumber formats like ECMAScript Number::toString (shortest round trip; exponent past 1e21 or below 1e-6).
func appendNumber(b []byte, f float64) []byte {
	a := math.Abs(f)
	if f == math.Trunc(f) && a < 1e21 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	if a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1e-07 → 1e-7, 1.5e+22 stays
	mant, exp := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			mant, exp = s[:i], s[i+1:]
		}
	}
	sign := exp[0]
	digits := exp[1:]
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	b = append(b, mant...)
	b = append(b, 'e', sign)
	return append(b, digits...)
}

// appendName writes DNS name bytes as netmapper does: each byte a Latin-1 character, JSON-escaped.
func appendName(b []byte, name []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range name {
		if c >= 'A' && c <= 'Z' {
			c |= 0x20
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c >= 0x80:
			b = append(b, 0xc0|c>>6, 0x80|c&0x3f)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendIPv4(b []byte, ip []byte) []byte {
	for i := 0; i < 4; i++ {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(ip[i]), 10)
	}
	return b
}

// appendIP: dotted quad, or IPv6 in RFC 5952 form with IPv4-mapped addresses kept dotted (as netmapper).
func appendIP(b []byte, ip []byte) []byte {
	if len(ip) == 4 {
		return appendIPv4(b, ip)
	}
	var g [8]uint16
	for i := range g {
		g[i] = uint16(ip[2*i])<<8 | uint16(ip[2*i+1])
	}
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if g[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && g[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	if best == 0 && bestLen == 5 && g[5] == 0xffff {
		b = append(b, "::ffff:"...)
		return appendIPv4(b, ip[12:])
	}
	for i := 0; i < 8; i++ {
		if i == best {
			b = append(b, ':', ':')
			i += bestLen - 1
			continue
		}
		if i > 0 && i != best+bestLen {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(g[i]), 16)
	}
	return b
}

func (w *writer) head(kind string, ts float64, src, dst []byte, sport, dport uint16, transport string) {
	b := w.b[:0]
	b = append(b, `{"kind":"`...)
	b = append(b, kind...)
	b = append(b, `","ts":`...)
	b = appendNumber(b, ts)
	b = append(b, `,"src":"`...)
	b = appendIP(b, src)
	b = append(b, `","dst":"`...)
	b = appendIP(b, dst)
	b = append(b, `","sport":`...)
	b = strconv.AppendUint(b, uint64(sport), 10)
	b = append(b, `,"dport":`...)
	b = strconv.AppendUint(b, uint64(dport), 10)
	b = append(b, `,"transport":"`...)
	b = append(b, transport...)
	b = append(b, '"')
	w.b = b
}

func (w *writer) syn(ack bool, ts float64, src, dst []byte, sport, dport uint16) {
	kind := "syn"
	if ack {
		kind = "synack"
	}
	w.head(kind, ts, src, dst, sport, dport, "tcp")
	w.b = append(w.b, '}', '\n')
	w.out.Write(w.b)
}

// dns writes one response; false (nothing written) when netmapper would skip the message.
func (w *writer) dns(d *layers.DNS, ts float64, src, dst []byte, sport, dport uint16, transport string) bool {
	if !d.QR {
		return false
	}
	for i := range d.Answers {
		a := &d.Answers[i]
		if (a.Type == dnsTypeA && len(a.Data) != 4) || (a.Type == dnsTypeAAAA && len(a.Data) != 16) {
			return false // RFC 1035 §3.4.1, RFC 3596 §2.2
		}
	}
	w.head("dns", ts, src, dst, sport, dport, transport)
	b := append(w.b, `,"name":`...)
	if len(d.Questions) > 0 {
		b = appendName(b, d.Questions[0].Name)
	} else {
		b = append(b, '"', '"')
	}
	b = append(b, `,"rcode":`...)
	// The header's RCODE: gopacket folds an OPT record's extended bits into ResponseCode.
	b = strconv.AppendUint(b, uint64(d.Contents[3]&dnsRcodeMask), 10)
	b = append(b, `,"answers":[`...)
	first := true
	for i := range d.Answers {
		a := &d.Answers[i]
		var typ string
		switch a.Type {
		case dnsTypeA:
			typ = "A"
		case dnsTypeAAAA:
			typ = "AAAA"
		case dnsTypeCNAME:
			typ = "CNAME"
		default:
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"name":`...)
		b = appendName(b, a.Name)
		b = append(b, `,"type":"`...)
		b = append(b, typ...)
		b = append(b, `","value":`...)
		if a.Type == dnsTypeCNAME {
			b = appendName(b, a.CNAME)
		} else {
			b = append(b, '"')
			b = appendIP(b, a.Data)
			b = append(b, '"')
		}
		b = append(b, `,"ttl":`...)
		b = strconv.AppendUint(b, uint64(a.TTL), 10)
		b = append(b, '}')
	}
	b = append(b, ']', '}', '\n')
	w.b = b
	w.out.Write(b)
	return true
}

// decodeDNS runs gopacket's DNS decoder on one message, turning a decoder panic into an error
// (gopacket's own drivers recover the same way).
func decodeDNS(d *layers.DNS, msg []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("dns decoder panic: %v", r)
		}
	}()
	return d.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
}

// tcpDNS decodes the length-prefixed DNS messages of one TCP segment on port 53.
func (w *writer) tcpDNS(d *layers.DNS, payload []byte, ts float64, src, dst []byte, sport, dport uint16) {
	for len(payload) > 0 {
		if len(payload) < tcpLenPrefix {
			return
		}
		n := int(binary.BigEndian.Uint16(payload))
		if tcpLenPrefix+n > len(payload) {
			return // continues in a later segment: not reassembled
		}
		msg := payload[tcpLenPrefix : tcpLenPrefix+n]
		payload = payload[tcpLenPrefix+n:]
		if len(msg) >= dnsMinHdrBytes && msg[2]&dnsQRFlag != 0 && decodeDNS(d, msg) == nil {
			w.dns(d, ts, src, dst, sport, dport, "tcp")
		}
	}
}

func seconds(ci gopacket.CaptureInfo) float64 {
	return float64(ci.Timestamp.Unix()) + float64(ci.Timestamp.Nanosecond())/1e9
}

// ---------------------------------------------------------------------------------------------
// -mode packet: gopacket.NewPacket and packet.Layer, default options (a copy per packet).

func runPacket(src source, link linkOf, w *writer) (frames int, err error) {
	var tcpDNS, otherDNS layers.DNS
	for {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		frames++
		p := gopacket.NewPacket(data, link(ci), gopacket.Default)
		var srcIP, dstIP []byte
		if l := p.Layer(layers.LayerTypeIPv4); l != nil {
			ip := l.(*layers.IPv4)
			if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
				continue
			}
			srcIP, dstIP = ip.SrcIP, ip.DstIP
		} else if l := p.Layer(layers.LayerTypeIPv6); l != nil {
			ip := l.(*layers.IPv6)
			srcIP, dstIP = ip.SrcIP, ip.DstIP
		} else {
			continue
		}
		ts := seconds(ci)
		if l := p.Layer(layers.LayerTypeTCP); l != nil {
			tcp := l.(*layers.TCP)
			if tcp.SYN {
				w.syn(tcp.ACK, ts, srcIP, dstIP, uint16(tcp.SrcPort), uint16(tcp.DstPort))
			} else if tcp.SrcPort == dnsPort || tcp.DstPort == dnsPort {
				w.tcpDNS(&tcpDNS, tcp.Payload, ts, srcIP, dstIP, uint16(tcp.SrcPort), uint16(tcp.DstPort))
			}
			continue
		}
		if l := p.Layer(layers.LayerTypeUDP); l != nil {
			udp := l.(*layers.UDP)
			if udp.SrcPort != dnsPort && udp.DstPort != dnsPort {
				continue
			}
			if d, ok := p.Layer(layers.LayerTypeDNS).(*layers.DNS); ok {
				w.dns(d, ts, srcIP, dstIP, uint16(udp.SrcPort), uint16(udp.DstPort), "udp")
			} else if len(udp.Payload) >= dnsMinHdrBytes && udp.Payload[2]&dnsQRFlag != 0 && decodeDNS(&otherDNS, udp.Payload) == nil {
				// gopacket took the payload for another protocol (see udpDNS).
				w.dns(&otherDNS, ts, srcIP, dstIP, uint16(udp.SrcPort), uint16(udp.DstPort), "udp")
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
// -mode parser: one DecodingLayerParser per first layer, layers reused, zero-copy reads.

// tcpNoDNS is gopacket's TCP layer, except that the parser stops after it: DNS over TCP carries a
// length prefix that gopacket's DNS layer does not expect, so tcpDNS splits the payload instead.
type tcpNoDNS struct{ layers.TCP }

func (t *tcpNoDNS) NextLayerType() gopacket.LayerType { return gopacket.LayerTypePayload }

// udpDNS is gopacket's UDP layer, except that port 53 on either side means DNS: gopacket looks
// the destination port up first, so a client port that gopacket knows (4789 VXLAN, 6343 sFlow,
// 2152 GTP, 6081 Geneve...) would hide a response from it.
type udpDNS struct{ layers.UDP }

func (u *udpDNS) NextLayerType() gopacket.LayerType {
	if u.SrcPort == dnsPort || u.DstPort == dnsPort {
		return layers.LayerTypeDNS
	}
	return gopacket.LayerTypePayload
}

type parsers struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     tcpNoDNS
	udp     udpDNS
	dns     layers.DNS
	tcpDNS  layers.DNS
	byFirst map[gopacket.LayerType]*gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func newParsers() *parsers {
	p := &parsers{byFirst: map[gopacket.LayerType]*gopacket.DecodingLayerParser{}}
	for _, first := range []gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeLinuxSLL, layers.LayerTypeLoopback, layers.LayerTypeIPv4, layers.LayerTypeIPv6} {
		dlp := gopacket.NewDecodingLayerParser(first, &p.eth, &p.dot1q, &p.sll, &p.loop, &p.ip4, &p.ip6, &p.tcp, &p.udp, &p.dns)
		dlp.IgnoreUnsupported = true
		p.byFirst[first] = dlp
	}
	return p
}

func firstLayer(lt layers.LinkType, data []byte) gopacket.LayerType {
	switch lt {
	case layers.LinkTypeEthernet:
		return layers.LayerTypeEthernet
	case layers.LinkTypeLinuxSLL:
		return layers.LayerTypeLinuxSLL
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		return layers.LayerTypeLoopback
	case layers.LinkTypeIPv4:
		return layers.LayerTypeIPv4
	case layers.LinkTypeIPv6:
		return layers.LayerTypeIPv6
	case layers.LinkTypeRaw, 12, 14:
		if len(data) > 0 && data[0]>>4 == 6 {
			return layers.LayerTypeIPv6
		}
		return layers.LayerTypeIPv4
	}
	return gopacket.LayerTypeZero
}

func runParser(src source, link linkOf, w *writer) (frames int, err error) {
	p := newParsers()
	for {
		data, ci, err := src.ZeroCopyReadPacketData()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return frames, err
		}
		frames++
		dlp := p.byFirst[firstLayer(link(ci), data)]
		if dlp == nil {
			continue
		}
		derr := dlp.DecodeLayers(data, &p.decoded)
		var srcIP, dstIP []byte
		var sawTCP, sawUDP, sawDNS bool
		for _, t := range p.decoded {
			switch t {
			case layers.LayerTypeIPv4:
				if p.ip4.Flags&layers.IPv4MoreFragments != 0 || p.ip4.FragOffset != 0 {
					srcIP = nil
				} else {
					srcIP, dstIP = p.ip4.SrcIP, p.ip4.DstIP
				}
			case layers.LayerTypeIPv6:
				srcIP, dstIP = p.ip6.SrcIP, p.ip6.DstIP
			case layers.LayerTypeTCP:
				sawTCP = true
			case layers.LayerTypeUDP:
				sawUDP = true
			case layers.LayerTypeDNS:
				sawDNS = true
			}
		}
		if srcIP == nil {
			continue
		}
		ts := seconds(ci)
		if sawTCP {
			t := &p.tcp.TCP
			if t.SYN {
				w.syn(t.ACK, ts, srcIP, dstIP, uint16(t.SrcPort), uint16(t.DstPort))
			} else if t.SrcPort == dnsPort || t.DstPort == dnsPort {
				w.tcpDNS(&p.tcpDNS, t.Payload, ts, srcIP, dstIP, uint16(t.SrcPort), uint16(t.DstPort))
			}
		} else if sawUDP && sawDNS && derr == nil && (p.udp.SrcPort == dnsPort || p.udp.DstPort == dnsPort) {
			w.dns(&p.dns, ts, srcIP, dstIP, uint16(p.udp.SrcPort), uint16(p.udp.DstPort), "udp")
		}
	}
}

func main() {
	mode := flag.String("mode", "parser", "packet (NewPacket + Layer) or parser (DecodingLayerParser)")
	flag.Parse()
	if flag.NArg() == 0 || (*mode != "packet" && *mode != "parser") {
		fmt.Fprintln(os.Stderr, "usage: gopacket-decode [-mode packet|parser] CAPTURE...")
		os.Exit(2)
	}
	w := &writer{out: bufio.NewWriterSize(os.Stdout, 1<<16), b: make([]byte, 0, 4096)}
	status := 0
	total := 0
	for _, path := range flag.Args() {
		src, link, closeFile, err := openCapture(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gopacket-decode:", err)
			status = 1
			continue
		}
		var frames int
		if *mode == "packet" {
			frames, err = runPacket(src, link, w)
		} else {
			frames, err = runParser(src, link, w)
		}
		closeFile()
		total += frames
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			fmt.Fprintf(os.Stderr, "gopacket-decode: %s: %v\n", path, err)
			status = 1
		}
	}
	if err := w.out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gopacket-decode:", err)
		status = 1
	}
	fmt.Fprintf(os.Stderr, "gopacket-decode: %d file(s), %d frames read\n", flag.NArg(), total)
	os.Exit(status)
}
