//! Reads the command declarations: every `#[tauri::command]` function in `src/*.rs`, with its
//! module, doc comment, arguments (the ones the window passes) and result type.

use std::path::Path;

use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

/// One command as the window calls it.
pub struct Command {
    /// The module of `src/` that holds the adapter (`commands`, `workspace_commands`).
    pub module: String,
    pub name: String,
    pub doc: Vec<String>,
    pub args: Vec<Arg>,
    /// `None` for a command that answers nothing.
    pub result: Option<Shape>,
}

pub struct Arg {
    /// As written in Rust (snake_case); the window passes it in camelCase.
    pub name: String,
    pub shape: Shape,
}

/// A Rust type as far as the IPC boundary cares.
pub enum Shape {
    String,
    Bool,
    Number,
    Option(Box<Shape>),
    Vec(Box<Shape>),
    /// `tauri::ipc::Response`: raw bytes.
    Bytes,
    /// `Channel<T>`: messages the command sends back while it runs.
    Channel(Box<Shape>),
    /// A type with a ts-rs binding of the same name.
    Named(String),
}

/// Arguments Tauri fills in itself; the window never passes them.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

pub fn read(src: &Path) -> Result<Vec<Command>, String> {
    let mut files: Vec<_> = std::fs::read_dir(src)
        .map_err(|e| format!("{}: {e}", src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut commands = Vec::new();
    for file in files {
        let module = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for item in parsed.items {
            let Item::Fn(f) = item else { continue };
            if !f.attrs.iter().any(is_command_attr) {
                continue;
            }
            if matches!(module, "lib" | "main") {
                return Err(format!(
                    "{}: keep commands in a module of their own",
                    file.display()
                ));
            }
            let name = f.sig.ident.to_string();
            let at = |what: String| format!("{}: command {name}: {what}", file.display());
            let mut args = Vec::new();
            for input in &f.sig.inputs {
                let FnArg::Typed(arg) = input else {
                    return Err(at("a command takes no self".into()));
                };
                if is_injected(&arg.ty) {
                    continue;
                }
                let Pat::Ident(ident) = &*arg.pat else {
                    return Err(at("arguments must be plain names".into()));
                };
                args.push(Arg {
                    name: ident.ident.to_string().trim_start_matches('_').to_owned(),
                    shape: shape(&arg.ty).map_err(at)?,
                });
            }
            let result = match &f.sig.output {
                ReturnType::Default => None,
                ReturnType::Type(_, ty) => result_shape(ty).map_err(at)?,
            };
            commands.push(Command {
                module: module.to_owned(),
                name,
                doc: doc_lines(&f.attrs),
                args,
                result,
            });
        }
    }
    Ok(commands)
}

fn is_command_attr(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["tauri", "command"] || segments == ["command"]
}

fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

fn is_injected(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()))
}

/// The type arguments of `Name<A, B>`.
fn type_args(segment: &syn::PathSegment) -> Vec<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A result type: `Result<T, ApiError>` and `T` answer `T`; `()` answers nothing.
fn result_shape(ty: &Type) -> Result<Option<Shape>, String> {
    if let Some(segment) = last_segment(ty) {
        if segment.ident == "Result" {
            let inner = type_args(segment);
            let ok = inner.first().ok_or("Result without a type")?;
            return result_shape(ok);
        }
    }
    if matches!(ty, Type::Tuple(t) if t.elems.is_empty()) {
        return Ok(None);
    }
    shape(ty).map(Some)
}

fn shape(ty: &Type) -> Result<Shape, String> {
    if let Type::Reference(r) = ty {
        return shape(&r.elem);
    }
    let segment = last_segment(ty).ok_or_else(|| "an unsupported type".to_owned())?;
    let inner = || -> Result<Box<Shape>, String> {
        let args = type_args(segment);
        let [one] = args.as_slice() else {
            return Err(format!("{} needs one type argument", segment.ident));
        };
        shape(one).map(Box::new)
    };
    Ok(match segment.ident.to_string().as_str() {
        "String" | "str" | "PathBuf" => Shape::String,
        "bool" => Shape::Bool,
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32"
        | "f64" => Shape::Number,
        "Option" => Shape::Option(inner()?),
        "Vec" => Shape::Vec(inner()?),
        "Channel" => Shape::Channel(inner()?),
        "Response" => Shape::Bytes,
        name => Shape::Named(name.to_owned()),
    })
}
