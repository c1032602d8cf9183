//! The embedded catalog's postcard bytes (`core/build.rs` writes them with postcard's serde
//! encoder) decoded by hand: the same values `postcard::from_bytes` gives for the same
//! bytes, and `None` wherever it fails, without serde's visitors for every catalog type in
//! the phone library (BENCHMARKS.md "Size"). postcard's format, as these types use it:
//! integers as LEB128 varints (at most 5 bytes for a `u32`, 10 for a length, the last byte
//! in range), a bool as one byte 0 or 1, an option as a byte 0 or 1 then the value, a string
//! and a sequence or map as a length then its bytes or items, a unit enum variant as its
//! index, a struct or tuple as its fields in order. Bytes after the value are ignored.

use super::model::*;
use crate::sorted_map::SortedMap;

/// Bytes being read from the front.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    /// A LEB128 varint of at most `max_bytes`, the last of which may hold at most
    /// `last_max` (postcard's `try_take_varint_u32`/`_u64`).
    fn varint(&mut self, max_bytes: u32, last_max: u8) -> Option<u64> {
        let mut out = 0u64;
        for i in 0..max_bytes {
            let byte = self.byte()?;
            out |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return (i + 1 < max_bytes || byte <= last_max).then_some(out);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint(5, 0x0f)?).ok()
    }

    /// A length: a `usize`, a varint of the target's pointer width.
    fn len(&mut self) -> Option<usize> {
        let len = if usize::BITS == 32 {
            self.varint(5, 0x0f)?
        } else {
            self.varint(10, 0x01)?
        };
        usize::try_from(len).ok()
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        let len = self.len()?;
        let bytes = self.0.get(..len)?;
        self.0 = self.0.get(len..)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }

    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len = self.len()?;
        // Each item takes at least one byte: a length beyond the bytes left is damage, and
        // never reserves more than the input could hold.
        let mut items = Vec::with_capacity(len.min(self.0.len()));
        for _ in 0..len {
            items.push(read(self)?);
        }
        Some(items)
    }

    fn map<T>(
        &mut self,
        mut read: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<SortedMap<String, T>> {
        let len = self.len()?;
        let mut map = SortedMap::new();
        for _ in 0..len {
            let key = self.string()?;
            map.insert(key, read(self)?);
        }
        Some(map)
    }

    /// A unit variant of `all`, by index.
    fn variant<T: Copy>(&mut self, all: &[T]) -> Option<T> {
        all.get(usize::try_from(self.u32()?).ok()?).copied()
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        self.list(Self::string)
    }

    fn targets(&mut self) -> Option<Vec<Target>> {
        self.list(|b| b.variant(&Target::ALL))
    }

    fn equipment(&mut self) -> Option<Vec<Equipment>> {
        self.list(|b| b.variant(&Equipment::ALL))
    }

    fn video(&mut self) -> Option<Video> {
        Some(Video {
            asset_id: self.string()?,
            duration_ms: self.u32()?,
            poster_ms: self.u32()?,
            mirrorable: self.bool()?,
            segments: self.list(|b| {
                Some(Segment {
                    kind: b.variant(&[
                        SegmentKind::Intro,
                        SegmentKind::Demo,
                        SegmentKind::RepLoop,
                        SegmentKind::CommonMistake,
                    ])?,
                    start_ms: b.u32()?,
                    end_ms: b.u32()?,
                    cues: b.list(|b| {
                        Some(CueMark {
                            at_ms: b.u32()?,
                            cue: b.u32()?,
                        })
                    })?,
                })
            })?,
        })
    }

    fn dose(&mut self) -> Option<DoseLevel> {
        Some(DoseLevel {
            sets: self.u32()?,
            reps: self.option(Self::u32)?,
            hold_s: self.option(Self::u32)?,
            end_pause_s: self.u32()?,
            rep_s: self.u32()?,
            rest_s: self.u32()?,
            load_kg: self.option(Self::u32)?,
        })
    }

    fn drill_text(&mut self) -> Option<DrillText> {
        Some(DrillText {
            name: self.string()?,
            description: self.string()?,
            cues: self.strings()?,
            cautions: self.strings()?,
        })
    }

    fn assessment_text(&mut self) -> Option<AssessmentText> {
        Some(AssessmentText {
            name: self.string()?,
            description: self.string()?,
            steps: self.strings()?,
            cautions: self.strings()?,
        })
    }

    fn drill(&mut self) -> Option<Drill> {
        Some(Drill {
            id: self.string()?,
            chain: self.string()?,
            text: self.map(Self::drill_text)?,
            targets: self.targets()?,
            kind: self.variant(&[
                DrillKind::DynamicMobility,
                DrillKind::JointMobilisation,
                DrillKind::StaticStretch,
                DrillKind::SoftTissue,
                DrillKind::Strength,
                DrillKind::Balance,
            ])?,
            equipment: self.equipment()?,
            sides: self.variant(&[Sides::Each, Sides::Both])?,
            dosage: self.list(Self::dose)?,
            pain_policy: self.variant(&[PainPolicy::PainFree, PainPolicy::Monitored])?,
            progression: self.option(Self::string)?,
            regression: self.option(Self::string)?,
            video: self.video()?,
            sources: self.strings()?,
            standalone: self.bool()?,
        })
    }

    fn assessment(&mut self) -> Option<Assessment> {
        Some(Assessment {
            id: self.string()?,
            text: self.map(Self::assessment_text)?,
            targets: self.targets()?,
            equipment: self.equipment()?,
            unit: self.string()?,
            video: self.video()?,
            sources: self.strings()?,
        })
    }
}

/// A catalog file from its postcard bytes (`postcard::from_bytes::<CatalogFile>`).
pub(super) fn catalog(bytes: &[u8]) -> Option<CatalogFile> {
    let mut b = Bytes(bytes);
    Some(CatalogFile {
        version: b.u32()?,
        drills: b.list(Bytes::drill)?,
        assessments: b.list(Bytes::assessment)?,
    })
}

/// The long texts from their postcard bytes (`postcard::from_bytes::<CatalogTexts>`).
pub(super) fn texts(bytes: &[u8]) -> Option<super::CatalogTexts> {
    let mut b = Bytes(bytes);
    Some((
        b.list(|b| b.map(Bytes::drill_text))?,
        b.list(|b| b.map(Bytes::assessment_text))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn whole() -> CatalogFile {
        serde_json::from_str(crate::catalog::EMBEDDED_CATALOG_JSON).unwrap()
    }

    fn postcard_catalog(bytes: &[u8]) -> Option<CatalogFile> {
        postcard::from_bytes(bytes).ok()
    }

    fn postcard_texts(bytes: &[u8]) -> Option<super::super::CatalogTexts> {
        postcard::from_bytes(bytes).ok()
    }

    /// The whole catalog and its texts, encoded as `build.rs` encodes them.
    fn encoded() -> (Vec<u8>, Vec<u8>) {
        let file = whole();
        let texts: super::super::CatalogTexts = (
            file.drills.iter().map(|d| d.text.clone()).collect(),
            file.assessments.iter().map(|a| a.text.clone()).collect(),
        );
        (
            postcard::to_allocvec(&file).unwrap(),
            postcard::to_allocvec(&texts).unwrap(),
        )
    }

    #[test]
    fn reads_the_embedded_bytes_as_postcard_does() {
        let embedded = super::super::EMBEDDED_CATALOG_BYTES;
        assert_eq!(catalog(embedded), postcard_catalog(embedded));
        assert!(catalog(embedded).is_some());
        let (file, texts_bytes) = encoded();
        assert_eq!(catalog(&file), Some(whole()));
        assert_eq!(texts(&texts_bytes), postcard_texts(&texts_bytes));
        assert!(texts(&texts_bytes).is_some());
    }

    /// One drill and one assessment of the embedded catalog with short texts in two
    /// locales, options both set and not: every field within a few hundred bytes.
    fn small() -> CatalogFile {
        let mut file = whole();
        file.drills.truncate(1);
        file.assessments.truncate(1);
        let drill = &mut file.drills[0];
        let text = DrillText {
            name: "n".into(),
            description: "d".into(),
            cues: vec!["c".into()],
            cautions: vec![],
        };
        drill.text = [("de".into(), text.clone()), ("en".into(), text)].into();
        drill.dosage.truncate(2);
        drill.dosage[0].reps = Some(3);
        drill.dosage[0].hold_s = None;
        drill.dosage.last_mut().unwrap().load_kg = Some(2);
        drill.progression = Some("p".into());
        drill.regression = None;
        drill.standalone = true;
        drill.video.segments.truncate(2);
        drill.sources = vec!["s".into()];
        let assessment = &mut file.assessments[0];
        assessment.text = [(
            "en".into(),
            AssessmentText {
                name: "n".into(),
                description: "d".into(),
                steps: vec!["s".into()],
                cautions: vec!["c".into()],
            },
        )]
        .into();
        assessment.video.segments.truncate(1);
        file
    }

    /// Every cut of a small catalog's bytes, and every byte set to every value; cuts all
    /// along the whole catalog's.
    #[test]
    fn damaged_bytes_read_as_postcard_reads_them() {
        let small = small();
        let bytes = postcard::to_allocvec(&small).unwrap();
        assert!(bytes.len() < 1000, "{}", bytes.len());
        assert_eq!(catalog(&bytes), Some(small));
        for cut in 0..bytes.len() {
            assert_eq!(catalog(&bytes[..cut]), postcard_catalog(&bytes[..cut]));
        }
        for i in 0..bytes.len() {
            for value in 0..=255 {
                let mut damaged = bytes.clone();
                damaged[i] = value;
                assert_eq!(catalog(&damaged), postcard_catalog(&damaged), "{i} {value}");
            }
        }
        let (file, text_bytes) = encoded();
        for cut in (0..file.len()).step_by(13) {
            assert_eq!(catalog(&file[..cut]), postcard_catalog(&file[..cut]));
        }
        for cut in (0..text_bytes.len()).step_by(13) {
            assert_eq!(
                texts(&text_bytes[..cut]),
                postcard_texts(&text_bytes[..cut])
            );
        }
    }

    /// A map with a key twice (postcard keeps the last) and a length varint at its limit.
    #[test]
    fn repeated_keys_and_long_varints_read_as_postcard_reads_them() {
        let text = |name: &str| DrillText {
            name: name.into(),
            description: String::new(),
            cues: vec![],
            cautions: vec![],
        };
        let twice = postcard::to_allocvec(&(
            vec![vec![("en", text("a")), ("en", text("b"))]],
            Vec::<()>::new(),
        ))
        .unwrap();
        let read = texts(&twice);
        assert_eq!(read, postcard_texts(&twice));
        assert_eq!(read.unwrap().0[0]["en"].name, "b");
        for last in [0, 1, 2, 0x7f] {
            let mut long = vec![0x80u8; 9];
            long.push(last);
            assert_eq!(
                Bytes(&long).len(),
                postcard::from_bytes::<usize>(&long).ok(),
                "{last}"
            );
        }
    }

    proptest! {
        /// Varints and lengths at and past their limits, as postcard reads them.
        #[test]
        fn varints_read_as_postcard_reads_them(bytes in prop::collection::vec(any::<u8>(), 0..12)) {
            prop_assert_eq!(Bytes(&bytes).u32(), postcard::from_bytes::<u32>(&bytes).ok());
            prop_assert_eq!(Bytes(&bytes).len(), postcard::from_bytes::<usize>(&bytes).ok());
            prop_assert_eq!(Bytes(&bytes).string(), postcard::from_bytes::<String>(&bytes).ok());
            prop_assert_eq!(
                Bytes(&bytes).option(Bytes::u32),
                postcard::from_bytes::<Option<u32>>(&bytes).ok()
            );
        }

        /// Random damage anywhere in the whole catalog's bytes.
        #[test]
        fn randomly_damaged_catalogs_read_as_postcard_reads_them(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)
        ) {
            let (mut file, _) = encoded();
            for (at, value) in edits {
                let i = at.index(file.len());
                file[i] = value;
            }
            prop_assert_eq!(catalog(&file), postcard_catalog(&file));
        }
    }
}
