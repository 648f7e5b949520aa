package picture

import (
	"bytes"
	"encoding/binary"
	"path"
	"strings"
)

// Clean returns a JPEG or PNG file without what a phone or a camera writes
// into it besides the picture: the EXIF block (the GPS position where the
// photo was taken, the camera, the owner), XMP and IPTC data, comments and
// text chunks. What shows the picture stays, byte for byte: its pixels,
// its colour profile and, for a JPEG, its orientation, in an EXIF block of
// that one tag. The published original is then as safe to download as its
// copies. Other files, and files it cannot read, come back as they are.
func Clean(name string, data []byte) []byte {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		return cleanJPEG(data)
	case ".png":
		return cleanPNG(data)
	}
	return data
}

// cleanJPEG drops the APP1 (EXIF, XMP), APP13 (IPTC) and COM segments
// before the picture's data and whatever follows its end, and puts back
// the orientation.
func cleanJPEG(data []byte) []byte {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return data
	}
	o := Orientation(data)
	var out bytes.Buffer
	out.Write(data[:2])
	dropped, wroteOrientation := false, o == 1
	for i := 2; ; {
		if i+4 > len(data) || data[i] != 0xFF {
			return data // damaged: leave it to the picture's own checks
		}
		marker := data[i+1]
		if marker == 0xFF {
			out.WriteByte(0xFF)
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			if !wroteOrientation {
				out.Write(orientationSegment(o))
			}
			// The picture ends at its end marker (FF D9 appears nowhere
			// else after the scans start): what a phone appends after it,
			// a motion photo's video or more pictures with their own EXIF,
			// is not the picture.
			end := len(data)
			if j := bytes.Index(data[i:], []byte{0xFF, 0xD9}); j >= 0 {
				end = i + j + 2
			}
			if end < len(data) {
				dropped = true
			}
			out.Write(data[i:end])
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return data
		}
		switch marker {
		case 0xE1, 0xED, 0xFE:
			dropped = true
		default:
			if marker != 0xE0 && !wroteOrientation {
				// After JFIF's APP0, which must come first where a file has it.
				out.Write(orientationSegment(o))
				wroteOrientation = true
			}
			out.Write(data[i : i+2+n])
		}
		i += 2 + n
	}
	if !dropped {
		return data
	}
	return out.Bytes()
}

// orientationSegment is an APP1 EXIF block holding one tag, the
// orientation o, in a big-endian TIFF structure.
func orientationSegment(o int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // header, first IFD at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, // orientation, SHORT, 1 value
		0, 0, 0, 0} // no next IFD
	body := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// cleanPNG drops the eXIf, tEXt, zTXt and iTXt chunks.
func cleanPNG(data []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return data
	}
	out := bytes.NewBuffer(append([]byte(nil), sig...))
	dropped := false
	for i := len(sig); i < len(data); {
		if i+12 > len(data) {
			return data
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		end := i + 12 + n
		if n < 0 || end > len(data) || end < i {
			return data
		}
		switch string(data[i+4 : i+8]) {
		case "eXIf", "tEXt", "zTXt", "iTXt":
			dropped = true
		default:
			out.Write(data[i:end])
		}
		i = end
	}
	if !dropped {
		return data
	}
	return out.Bytes()
}
