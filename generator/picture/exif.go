package picture

import "encoding/binary"

// Orientation returns the EXIF orientation of a JPEG file: 1 (as stored)
// to 8, as TIFF numbers them; 1 when the file has no EXIF block, no
// orientation tag, or a damaged one.
//
// Phones store a photo as the sensor saw it and write in this tag how to
// turn it; browsers turn the original, but the copies sxsh makes carry no
// EXIF block, so they must be turned when they are made. Only this one
// tag is read, a few dozen bytes of the block: the standard library has
// no EXIF reader, and the modules that read all of EXIF are large for
// that.
func Orientation(data []byte) int {
	// The markers before the picture's data: SOI, then segments, each
	// 0xFF, a marker byte and a big-endian length that counts itself.
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from the first IFD of a TIFF block; 0
// when it is not there or not a valid orientation.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 0
	}
	count := int64(bo.Uint16(t[ifd:]))
	for k := range count {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// A SHORT (type 3), one of it, kept in the entry's value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 0
		}
		o := int(bo.Uint16(t[e+8:]))
		if o < 1 || o > 8 {
			return 0
		}
		return o
	}
	return 0
}
