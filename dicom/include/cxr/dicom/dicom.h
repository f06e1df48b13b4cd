// cxr/dicom/dicom.h — umbrella header of the dicom module's file/pixel API
// (the PACS node and Structured Report APIs have their own headers).
#pragma once

#include "cxr/dicom/image.h"
#include "cxr/dicom/inputs.h"
#include "cxr/dicom/metadata.h"
#include "cxr/dicom/preprocess.h"
